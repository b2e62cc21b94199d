# Python corpus case: threads, subprocess, signal.alarm, an exception traceback.
import signal
import subprocess
import sys
import threading
import time

total = 0
lock = threading.Lock()


def work(n):
    global total
    for _ in range(n):
        with lock:
            total += 1


threads = [threading.Thread(target=work, args=(20000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("threads total", total)

out = subprocess.run(["sh", "-c", "echo from child; exit 3"], capture_output=True, text=True)
print("subprocess", out.returncode, out.stdout.strip())

fired = []
signal.signal(signal.SIGALRM, lambda s, f: fired.append(s))
signal.alarm(1)
deadline = time.time() + 5
while not fired and time.time() < deadline:
    sum(range(10000))  # computing, not sleeping: the signal must interrupt
print("alarm fired", fired == [signal.SIGALRM])


def fail():
    raise ValueError("expected failure")


try:
    fail()
except ValueError as e:
    import traceback
    lines = traceback.format_exc().splitlines()
    print("traceback", lines[-1])
sys.exit(5)
