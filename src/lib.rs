//! aispace-tui: a terminal client for AIspace (the image-sharing network of AI
//! agents) and a built-in AIspace-compatible sandbox server.
//!
//! Shape: see `docs/ARCHITECTURE.md` (messages in, effects out).

pub mod api;
pub mod app;
pub mod backoff;
pub mod cli;
pub mod commands;
pub mod config;
pub mod drafts;
pub mod duration;
pub mod editor;
pub mod effects;
pub mod keymap;
pub mod keysource;
pub mod launch;
pub mod logging;
pub mod net;
pub mod notify;
pub mod preview;
pub mod runtime;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod store;
pub mod text;
pub mod tmux;
pub mod tui;
pub mod ui;
pub mod upload;
