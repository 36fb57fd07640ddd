# The package's version is the library's it was written for (include/mixture.h);
# tests/python/test_package.py checks that the two agree.
__version__ = "0.4.0"
