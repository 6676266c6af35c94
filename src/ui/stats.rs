//! The stats screen: six charts from the local archive over the feed and
//! post panes ([`ViewKind::Stats`](crate::app::ViewKind)). Each chart's
//! title says what it counts and over what period; a chart without data
//! says so in words instead of drawing.

use super::theme;
use crate::app::{Action, App, ArchiveView};
use crate::store::{Charts, HOURS};
use crate::text;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline, Wrap};
use ratatui::Frame;

const MEDALS: [&str; 3] = ["gold", "silver", "bronze"];
const VERDICTS: [&str; 5] = ["gold", "silver", "bronze", "none", "not judged"];

/// Draws the stats screen in `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, v: &ArchiveView) {
    let back = app.keymap.first_key(Action::CloseView);
    let refresh = app.keymap.first_key(Action::Refresh);
    let what = match &v.charts {
        Some(c) => format!(" stats · {} stored posts", c.posts),
        None => " stats".to_string(),
    };
    let loading = if v.loading { " · loading…" } else { "" };
    let title = text::truncate(
        &format!("{what}{loading} · {refresh}: again · {back}: back to the feed "),
        area.width.saturating_sub(2) as usize,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let c = match (&v.charts, &v.error) {
        (_, Some(e)) => {
            let p = Paragraph::new(format!("The archive could not answer: {e}"))
                .style(theme::error())
                .wrap(Wrap { trim: true });
            frame.render_widget(p, inner);
            return;
        }
        (Some(c), None) => c,
        (None, None) => {
            frame.render_widget(Paragraph::new("Counting…").style(theme::dim()), inner);
            return;
        }
    };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Ratio(1, 3); 3])
        .split(inner);
    let cells: Vec<Rect> = rows
        .iter()
        .flat_map(|r| {
            Layout::default()
                .direction(Direction::Horizontal)
                .constraints([Constraint::Ratio(1, 2); 2])
                .split(*r)
                .to_vec()
        })
        .collect();
    let [a, b, cc, d, e, f] = cells.as_slice() else {
        return;
    };
    posts_per_hour(frame, *a, c);
    mine_per_hour(frame, *b, c);
    verdicts(frame, *cc, c);
    medals(frame, *d, c);
    agreement(frame, *e, c);
    authors(frame, *f, c);
}

fn boxed(frame: &mut Frame, area: Rect, title: &str) -> Rect {
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        text::truncate(&format!(" {title} "), area.width.saturating_sub(2) as usize),
        theme::title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The words a chart shows instead of drawing from nothing.
fn empty(frame: &mut Frame, area: Rect, words: &str) {
    frame.render_widget(
        Paragraph::new(words.to_string())
            .style(theme::dim())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// A per-hour sparkline with its axis (`-24h … now`) on the last line.
fn hours(frame: &mut Frame, area: Rect, data: &[u64; HOURS]) {
    if area.height < 2 {
        return;
    }
    let spark = Rect::new(
        area.x,
        area.y,
        area.width.min(HOURS as u16),
        area.height - 1,
    );
    frame.render_widget(
        Sparkline::default()
            .data(data.as_slice())
            .style(theme::accent()),
        spark,
    );
    let axis = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    let max = data.iter().max().copied().unwrap_or(0);
    let label = format!(
        "{:<w$}now  (peak {max}/h)",
        "-24h",
        w = HOURS.saturating_sub(3)
    );
    frame.render_widget(Paragraph::new(label).style(theme::dim()), axis);
}

fn posts_per_hour(frame: &mut Frame, area: Rect, c: &Charts) {
    let n: u64 = c.posts_per_hour.iter().sum();
    let inner = boxed(
        frame,
        area,
        &format!("stored posts published per hour, last 24 h: {n}"),
    );
    if n == 0 {
        empty(
            frame,
            inner,
            "No stored post was published in the last 24 hours.",
        );
    } else {
        hours(frame, inner, &c.posts_per_hour);
    }
}

fn mine_per_hour(frame: &mut Frame, area: Rect, c: &Charts) {
    let n: u64 = c.mine_per_hour.iter().sum();
    let inner = boxed(
        frame,
        area,
        &format!("my accepted actions per hour, last 24 h: {n}"),
    );
    if n == 0 {
        empty(
            frame,
            inner,
            "No accepted like, medal or comment from this client in the last 24 hours.",
        );
    } else {
        hours(frame, inner, &c.mine_per_hour);
    }
}

/// Horizontal bars, one per (label, value).
fn bars(frame: &mut Frame, area: Rect, data: &[(String, u64)]) {
    let bars: Vec<Bar> = data
        .iter()
        .map(|(l, n)| {
            Bar::default()
                .label(Line::from(l.clone()))
                .value(*n)
                .text_value(n.to_string())
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(theme::accent())
        .value_style(theme::title())
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(chart, area);
}

fn verdicts(frame: &mut Frame, area: Rect, c: &Charts) {
    let inner = boxed(frame, area, "AI verdicts of all stored posts");
    if c.posts == 0 {
        empty(
            frame,
            inner,
            "No stored posts yet: the archive fills as the feed loads.",
        );
        return;
    }
    let data: Vec<(String, u64)> = VERDICTS
        .iter()
        .zip(c.verdicts)
        .map(|(l, n)| ((*l).to_string(), n))
        .collect();
    bars(frame, inner, &data);
}

fn medals(frame: &mut Frame, area: Rect, c: &Charts) {
    let inner = boxed(frame, area, "medals given by everyone to the stored posts");
    if c.medals.iter().sum::<u64>() == 0 {
        empty(frame, inner, "No medals on the stored posts.");
        return;
    }
    let data: Vec<(String, u64)> = MEDALS
        .iter()
        .zip(c.medals)
        .map(|(l, n)| ((*l).to_string(), n))
        .collect();
    bars(frame, inner, &data);
}

fn agreement(frame: &mut Frame, area: Rect, c: &Charts) {
    let rate = match c.agreement_rate() {
        Some((same, judged)) => format!(
            "agree {}% ({same} of {judged} judged)",
            same.saturating_mul(100) / judged.max(1)
        ),
        None => "no judged post yet".to_string(),
    };
    let inner = boxed(frame, area, &format!("my medals vs AI verdict: {rate}"));
    if c.my_medals() == 0 {
        empty(
            frame,
            inner,
            "You have given no accepted medals from this client yet.",
        );
        return;
    }
    let head = format!(
        "{:<7}{:>6}{:>7}{:>7}{:>5}{:>6}",
        "mine\\AI", "gold", "silver", "bronze", "none", "n/j"
    );
    let mut lines = vec![Line::styled(head, theme::dim())];
    for (i, row) in c.agreement.iter().enumerate() {
        let mut spans = vec![Span::styled(
            format!("{:<7}", MEDALS[i]),
            theme::medal(&MEDALS[i].to_uppercase()),
        )];
        for (j, (n, w)) in row.iter().zip([6, 7, 7, 5, 6]).enumerate() {
            let style = if i == j {
                theme::ok()
            } else {
                ratatui::style::Style::default()
            };
            spans.push(Span::styled(format!("{n:>w$}"), style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn authors(frame: &mut Frame, area: Rect, c: &Charts) {
    let inner = boxed(
        frame,
        area,
        &format!(
            "most active authors, top {} by stored posts",
            crate::store::TOP_AUTHORS
        ),
    );
    if c.top_authors.is_empty() {
        empty(frame, inner, "No stored posts yet.");
        return;
    }
    let data: Vec<(String, u64)> = c
        .top_authors
        .iter()
        .map(|(h, n)| (text::truncate(&format!("@{h}"), 14), *n))
        .collect();
    bars(frame, inner, &data);
}
