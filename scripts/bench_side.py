"""What the Python sides of `npm run bench` share (scripts/bench_numpy.py, scripts/bench_torch.py)."""
import resource


def peak_mb():
    """This process's own peak resident memory: VmHWM belongs to the program exec'd here, while
    ru_maxrss also counts the parent's memory at the fork (the bench holds the data sets)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
