"""ptyrun.py: shared helpers for the benchmarks: run sitrep on a pseudo-
terminal of a given size, drain what it writes, read its CPU counters from
/proc, and (optionally) keep an emulated screen with libvterm, the terminal
library the project already depends on, through ctypes.

Not a benchmark itself; first_frame.py and term_bytes.py import it.
"""
import ctypes
import ctypes.util
import fcntl
import os
import select
import signal
import struct
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def find_sitrep():
    """$SITREP, else ../build/sitrep, else _build-bench/sitrep."""
    if os.environ.get("SITREP"):
        return os.path.abspath(os.environ["SITREP"])
    top = os.path.dirname(HERE)
    for p in (os.path.join(top, "..", "build", "sitrep"),
              os.path.join(top, "_build-bench", "sitrep")):
        if os.access(p, os.X_OK):
            return os.path.abspath(p)
    raise SystemExit("bench: no sitrep binary: set SITREP=/path/to/sitrep")


class Child:
    """sitrep on the slave side of a pty; the master is self.fd."""

    def __init__(self, argv, rows, cols, env=None):
        e = dict(os.environ)
        e.update({"TERM": "xterm-256color", "LANG": "C.UTF-8",
                  "LC_ALL": "C.UTF-8"})
        e.pop("NO_COLOR", None)
        if env:
            e.update(env)
        self.t_fork = time.monotonic()
        pid, fd = os.forkpty()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ,
                            struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, e)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.nbytes = 0

    def read(self, timeout):
        """Bytes available within timeout seconds (b"" if none, None at
        end of file)."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return b""
        try:
            b = os.read(self.fd, 65536)
        except OSError:		# EIO: the slave side closed
            return None
        if not b:
            return None
        self.nbytes += len(b)
        return b

    def drain_for(self, seconds, sink=None):
        """Read (and count) everything written during the next seconds."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            b = self.read(left)
            if b is None:
                return
            if sink is not None and b:
                sink(b)

    def cpu_ticks(self):
        """utime + stime, in clock ticks."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def ctxt_switches(self):
        """(voluntary, involuntary) context switches."""
        v = n = 0
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    v = int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches:"):
                    n = int(line.split()[1])
        return v, n

    def stop(self):
        """Quit as a user would ('q'), then make sure."""
        try:
            os.write(self.fd, b"q")
        except OSError:
            pass
        end = time.monotonic() + 2
        while time.monotonic() < end:
            if self.read(0.05) is None:
                break
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


class _Rect(ctypes.Structure):
    _fields_ = [("start_row", ctypes.c_int), ("end_row", ctypes.c_int),
                ("start_col", ctypes.c_int), ("end_col", ctypes.c_int)]


_vt = None


def _libvterm():
    global _vt
    if _vt is None:
        name = ctypes.util.find_library("vterm")
        if name is None:
            raise SystemExit("bench: libvterm not found (apt-get install "
                             "libvterm-dev)")
        _vt = ctypes.CDLL(name)
        _vt.vterm_new.restype = ctypes.c_void_p
        _vt.vterm_new.argtypes = [ctypes.c_int, ctypes.c_int]
        _vt.vterm_set_utf8.argtypes = [ctypes.c_void_p, ctypes.c_int]
        _vt.vterm_obtain_screen.restype = ctypes.c_void_p
        _vt.vterm_obtain_screen.argtypes = [ctypes.c_void_p]
        _vt.vterm_screen_reset.argtypes = [ctypes.c_void_p, ctypes.c_int]
        _vt.vterm_input_write.restype = ctypes.c_size_t
        _vt.vterm_input_write.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                          ctypes.c_size_t]
        _vt.vterm_screen_get_text.restype = ctypes.c_size_t
        _vt.vterm_screen_get_text.argtypes = [ctypes.c_void_p,
                                              ctypes.c_char_p,
                                              ctypes.c_size_t, _Rect]
        _vt.vterm_free.argtypes = [ctypes.c_void_p]
    return _vt


class Screen:
    """An emulated terminal: feed it bytes, read back rows of text."""

    def __init__(self, rows, cols):
        vt = _libvterm()
        self.rows, self.cols = rows, cols
        self.vt = vt.vterm_new(rows, cols)
        vt.vterm_set_utf8(self.vt, 1)
        self.screen = vt.vterm_obtain_screen(self.vt)
        vt.vterm_screen_reset(self.screen, 1)
        self.buf = ctypes.create_string_buffer(cols * 4 + 1)

    def feed(self, b):
        _vt.vterm_input_write(self.vt, b, len(b))

    def row(self, y):
        n = _vt.vterm_screen_get_text(self.screen, self.buf, len(self.buf),
                                      _Rect(y, y + 1, 0, self.cols))
        return self.buf.raw[:n].decode("utf-8", "replace")

    def text(self):
        return [self.row(y) for y in range(self.rows)]

    def free(self):
        _vt.vterm_free(self.vt)
