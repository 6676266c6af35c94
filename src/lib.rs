pub mod api;
pub mod sandbox;
pub mod text;
