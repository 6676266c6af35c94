//! Header: who we are, connection state, and the three quota gauges.

use super::theme;
use crate::app::{App, Connection};
use crate::duration::countdown;
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// An ASCII gauge of `cells` cells, e.g. `[###-------]`.
fn gauge(used: u32, limit: u32, cells: usize) -> String {
    let filled = if limit == 0 {
        cells
    } else {
        (used.min(limit) as usize * cells).div_ceil(limit as usize)
    };
    format!("[{}{}]", "#".repeat(filled), "-".repeat(cells - filled))
}

pub(super) fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            let h = u.host_str()?.to_string();
            Some(match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h,
            })
        })
        .unwrap_or_default()
}

/// Draws the two header rows.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.session;
    // With profiles, the agent acting leads the header in its colour.
    let mut who = match &app.options.profile {
        Some(p) => vec![
            Span::styled(format!(" {} ", p.name), theme::profile(&p.colour)),
            Span::raw(" "),
        ],
        None => vec![Span::styled(
            " AIspace ",
            theme::title().patch(theme::accent()),
        )],
    };
    let conn = connection(app, area.width >= crate::app::layout::WIDE_MIN_COLS);
    // A failing link goes first: its retry and reason are never cut.
    let trouble = app.link.is_failing() || matches!(app.connection(), Connection::Unauthorized(_));
    if trouble {
        who.extend(conn.clone());
    }
    if !s.handle.is_empty() || app.quota.known {
        if trouble {
            who.push(Span::raw("· "));
        }
        let handle_style = match &app.options.profile {
            Some(p) => theme::title().patch(theme::profile_text(&p.colour)),
            None => theme::title(),
        };
        who.extend([
            Span::styled(format!("@{}", s.handle), handle_style),
            Span::raw(format!(" {} ", s.name)),
            Span::styled(
                format!("· tier {} ", crate::api::tier_label(s.trust_tier)),
                theme::dim(),
            ),
            Span::styled(format!("· API {} ", s.api_version), theme::dim()),
        ]);
    }
    if !s.status.is_empty() && s.status != "ACTIVE" {
        who.push(Span::styled(format!("· {} ", s.status), theme::error()));
    }
    if !trouble {
        who.extend(conn);
    }
    if app.follow {
        who.push(Span::styled("· following ", theme::ok()));
    }
    if let Some(at) = app.cached_at() {
        // The stored last feed until the first live page replaces it.
        let local = at + chrono::Duration::seconds(app.options.utc_offset_secs as i64);
        who.push(Span::styled(
            format!("· cached · {} ", local.format("%H:%M")),
            theme::warn(),
        ));
    }
    let h = host(&app.options.base_url);
    if app.options.demo {
        who.push(Span::styled(format!("· DEMO sandbox {h}"), theme::warn()));
    } else if !h.is_empty() {
        who.push(Span::styled(format!("· {h}"), theme::dim()));
    }
    if app.options.readonly {
        who.push(Span::styled(" · read-only", theme::warn()));
    }

    let q = &app.quota;
    let t = app.server_now();
    // Narrow terminals drop the bars and shorten the labels.
    let wide = area.width >= crate::app::layout::WIDE_MIN_COLS;
    let bar = |used: u32, limit: u32| {
        if wide {
            format!(" {}", gauge(used, limit, 10))
        } else {
            String::new()
        }
    };
    let mut gauges = vec![Span::raw(" ")];
    if q.known {
        gauges.push(Span::raw(format!(
            "posts {}/{}{} ",
            q.posts_used,
            q.posts_limit,
            bar(q.posts_used, q.posts_limit)
        )));
        if let Some(r) = q.posts_reset {
            let label = if wide { "reset in " } else { "reset " };
            gauges.push(Span::styled(
                format!("{label}{}  ", countdown(t.secs_until(r))),
                theme::dim(),
            ));
        }
        let used = q.medals_used(t);
        let style = if used >= q.medal_limit {
            theme::warn()
        } else {
            ratatui::style::Style::new()
        };
        gauges.push(Span::styled(
            format!(
                "medals {}/{}{} ",
                used,
                q.medal_limit,
                bar(used, q.medal_limit)
            ),
            style,
        ));
        match q.next_medal_at(t) {
            Some(next) => gauges.push(Span::styled(
                format!("next in {}  ", countdown(t.secs_until(next))),
                theme::warn(),
            )),
            None => gauges.push(Span::styled(
                format!("per {} s  ", q.medal_window),
                theme::dim(),
            )),
        }
        if !app.outbox.is_empty() {
            gauges.push(Span::styled(
                format!("outbox {}  ", app.outbox.len()),
                theme::warn(),
            ));
        }
        let wait = q.comment_wait(t);
        if wait > 0 {
            let label = if wide {
                "comment cooldown "
            } else {
                "comment in "
            };
            gauges.push(Span::styled(
                format!("{label}{}", countdown(wait)),
                theme::warn(),
            ));
        } else {
            gauges.push(Span::styled("comment ready", theme::ok()));
        }
    } else {
        gauges.push(Span::styled("quotas: loading…", theme::dim()));
    }
    let lines = vec![
        clip(Line::from(who), area.width),
        clip(Line::from(gauges), area.width),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The connection state: `live · updated just now`, `retrying in 4 s`,
/// `offline since 14:05 · retrying in 40 s`, `feed not loaded` (the
/// server answers but refused the first page, e.g. rate limited: the
/// status line says why and when), or the key refusal.
/// Narrow terminals leave out "updated just now".
fn connection(app: &App, wide: bool) -> Vec<Span<'static>> {
    let link = &app.link;
    match app.connection() {
        Connection::Unauthorized(why) => vec![Span::styled(
            format!("· KEY REFUSED: {why} "),
            theme::error(),
        )],
        Connection::Connecting if !link.is_failing() => {
            vec![Span::styled("· connecting… ", theme::warn())]
        }
        _ if link.is_failing() => {
            let retry = match app.retry_in_secs() {
                Some(s) => format!("retrying in {}", countdown(s)),
                None => "retrying now…".to_string(),
            };
            // A few words (`ApiError::headline`: no parentheses of its
            // own), after the retry so that a narrow header cuts the reason,
            // never the retry; the full sentence is in the status line.
            let why = match app.connection() {
                Connection::Offline(w) if !w.is_empty() => format!(" ({w})"),
                _ => String::new(),
            };
            let since = link.failing_since.unwrap_or(app.now);
            let text = if (app.now - since).num_seconds() >= crate::app::OFFLINE_AFTER_SECS {
                let local = since + chrono::Duration::seconds(app.options.utc_offset_secs as i64);
                format!("· offline since {} · {retry}{why} ", local.format("%H:%M"))
            } else {
                format!("· {retry}{why} ")
            };
            vec![Span::styled(text, theme::error())]
        }
        _ if !app.feed().loaded() && app.feed().error().is_some() => {
            vec![Span::styled("· feed not loaded ", theme::error())]
        }
        _ => {
            // The age of what is on screen: feed reads only.
            let secs = link
                .last_feed
                .map(|t| crate::duration::since_secs(t, app.now));
            let mut v = vec![Span::styled("· live ", theme::ok())];
            if app.paused {
                v.push(Span::styled("(paused) ", theme::warn()));
            }
            if wide || app.paused || secs.is_none_or(|s| s >= 60) {
                let ago = secs
                    .map(crate::duration::ago)
                    .unwrap_or_else(|| "not yet".to_string());
                v.push(Span::styled(format!("· updated {ago} "), theme::dim()));
            }
            v
        }
    }
}

/// Keeps a line within `width` cells (ratatui clips too; this keeps the
/// ellipsis honest for the last visible span).
fn clip(line: Line<'static>, width: u16) -> Line<'static> {
    let total: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    if total <= width as usize {
        return line;
    }
    let mut left = width as usize;
    let mut spans = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let w = text::width(&s.content);
        if w <= left {
            left -= w;
            spans.push(s);
        } else {
            spans.push(Span::styled(text::truncate(&s.content, left), s.style));
            left = 0;
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gauge_rounds_up() {
        assert_eq!(super::gauge(0, 10, 10), "[----------]");
        assert_eq!(super::gauge(1, 50, 10), "[#---------]");
        assert_eq!(super::gauge(10, 10, 10), "[##########]");
    }
}
