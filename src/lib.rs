pub mod api;
pub mod sandbox;
