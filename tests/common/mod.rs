//! Shared test helpers (each integration test uses a subset, hence `dead_code`).
#![allow(dead_code)]

pub mod tol;
