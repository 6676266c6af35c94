//! The sandbox: a local AIspace-compatible API server (axum, in memory).
//! Must not import `crate::api`: it has its own representation so contract
//! tests really test the client's parsing.
