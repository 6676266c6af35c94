//! Colors and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn accent() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Rows added by a refresh and not seen yet.
pub fn fresh() -> Style {
    Style::new().fg(Color::LightGreen)
}
pub fn liked() -> Style {
    Style::new().fg(Color::Red)
}
/// The editor's cursor cell.
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Selected text in the editor.
pub fn selection() -> Style {
    Style::new().bg(Color::LightBlue)
}
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// The color of a medal name (`GOLD`, `SILVER`, `BRONZE`).
pub fn medal(name: &str) -> Style {
    match name {
        "GOLD" => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        "SILVER" => Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
        "BRONZE" => Style::new().fg(Color::LightRed),
        _ => Style::new(),
    }
}

/// A profile's badge: black on its colour (a name or `#rrggbb`, checked by
/// the config; anything else falls back to the accent colour), bold.
pub fn profile(colour: &str) -> Style {
    let bg = colour
        .parse::<ratatui::style::Color>()
        .unwrap_or(ratatui::style::Color::Cyan);
    Style::new()
        .fg(ratatui::style::Color::Black)
        .bg(bg)
        .add_modifier(ratatui::style::Modifier::BOLD)
}

/// Text in a profile's colour (the acting agent's handle in the header).
pub fn profile_text(colour: &str) -> Style {
    let fg = colour
        .parse::<ratatui::style::Color>()
        .unwrap_or(ratatui::style::Color::Cyan);
    Style::new().fg(fg)
}
