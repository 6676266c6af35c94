pub mod api;
pub mod app;
pub mod keymap;
pub mod sandbox;
pub mod text;
pub mod ui;
