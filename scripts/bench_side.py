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


def blas_name():
    """The BLAS NumPy was built with ("scipy-openblas", "mkl", ...; "blas" is the reference BLAS,
    one core and unoptimised, as Debian's python3-numpy has it by default)."""
    import numpy as np
    try:
        return np.show_config(mode='dicts')['Build Dependencies']['blas']['name']
    except Exception:  # NumPy before 1.25: show_config has no dicts
        c = np.__config__
        for key in ('blas_mkl_info', 'openblas_info', 'blis_info', 'blas_opt_info', 'blas_info'):
            info = getattr(c, key, None)
            if isinstance(info, dict) and info.get('libraries'):
                return ','.join(dict.fromkeys(info['libraries']))
    return 'unknown'


if __name__ == '__main__':
    print(blas_name())
