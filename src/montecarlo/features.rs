//! Random-feature ridge regression simulator.
