"""Stand-ins the tests and the benchmarks share (a loopback image service). Never imported by the app."""
