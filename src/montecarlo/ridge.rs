//! Linear ridge regression simulator.
