//! `App::update`: messages and key actions.

use super::key::{Key, KeyCode};
use super::results::REFRESHING;
use super::writes::{Answer, Write, WriteKind};
use super::{
    Action, App, Composer, CopyVia, Effect, FeedSort, Loading, Mode, Msg, ServerTime, Status,
    COMMENT_MAX_CHARS,
};
use crate::api::{Medal, Timestamp};
use crate::duration::{add_secs, secs_i64};

impl App {
    /// Applies one message at local time `now`; returns the effects to run.
    pub fn update(&mut self, msg: Msg, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        let mut fx = Vec::new();
        self.check_sleep(&mut fx);
        match msg {
            Msg::Key(ev) => {
                // The user is looking: nothing is unread any more.
                self.watch.looked();
                self.on_key(ev, &mut fx)
            }
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(m) => {
                self.watch.looked();
                self.on_mouse(m, &mut fx)
            }
            Msg::Resize(w, h) => {
                self.viewport = (w, h);
                let rows = self.feed_rows();
                self.feed_mut().scroll_into_view(rows);
                self.maybe_load_more(&mut fx);
            }
            Msg::Tick => self.on_tick(&mut fx),
            Msg::Me(r) => self.on_me(r, &mut fx),
            Msg::Feed {
                sort,
                generation,
                kind,
                result,
            } => self.on_feed(sort, generation, kind, result, &mut fx),
            Msg::Like {
                post_id,
                request,
                result,
            } => self.on_write(
                WriteKind::Like,
                post_id,
                request,
                result.map(Answer::Like),
                &mut fx,
            ),
            Msg::Vote {
                post_id,
                request,
                result,
            } => self.on_write(
                WriteKind::Medal,
                post_id,
                request,
                result.map(Answer::Medal),
                &mut fx,
            ),
            Msg::Comment {
                post_id,
                request,
                result,
            } => self.on_write(
                WriteKind::Comment,
                post_id,
                request,
                result.map(|_| Answer::Comment),
                &mut fx,
            ),
            Msg::Opened(Ok(())) => {}
            Msg::Opened(Err(e)) => self.error(e),
            Msg::Copied(Ok(CopyVia::Osc52)) => {
                self.info("Copied the post link (OSC 52 clipboard).");
            }
            Msg::Copied(Ok(CopyVia::Tmux)) => {
                self.info("Copied the post link into tmux's paste buffer (prefix ] pastes it).");
            }
            Msg::Copied(Err(e)) => self.error(format!("Could not copy the post link: {e}.")),
            Msg::Preview(m) => self.on_preview(m, &mut fx),
            Msg::DraftsSaved(r) => self.on_drafts_saved(r),
            Msg::Edited { target, result } => self.on_edited(target, result),
            Msg::PathCompleted { typed, done, many } => {
                self.on_path_completed(typed, done, many, &mut fx)
            }
            Msg::ImageChecked { request, result } => {
                self.on_image_checked(request, result, &mut fx)
            }
            Msg::PostProgress {
                request,
                sent,
                total,
            } => self.on_post_progress(request, sent, total),
            Msg::Posted { request, result } => self.on_posted(request, result, &mut fx),
            Msg::Archive { request, result } => self.on_archive(request, result),
            Msg::Notified(Ok(())) => {}
            Msg::Notified(Err(e)) => self.error(e),
            Msg::MuteSaved(r) => self.on_mute_saved(r),
        }
        self.sync_preview(&mut fx);
        if let Some(c) = self.composer.as_mut() {
            let (w, h) = super::layout::editor_text_size(self.viewport, self.zoom_post);
            c.fit(w, h);
        }
        if let Some((id, _)) = &self.post_scroll {
            if self.selected().is_none_or(|p| &p.id != id) {
                self.post_scroll = None;
            }
        }
        self.follow_feed_retry();
        let t = self.server_now();
        if let Some(s) = self.status.as_mut() {
            s.refresh(t);
        }
        self.keep_triage_on_post();
        self.drain_outbox(&mut fx);
        self.send_due_writes(&mut fx);
        self.quit_when_answered(&mut fx);
        self.autosave_drafts(&mut fx);
        self.outbox_effects(&mut fx);
        self.watch.effects(now, &mut fx);
        self.plan_wake();
        fx
    }

    /// Shows an info message.
    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status::info(text, self.now));
    }

    /// Shows an error message.
    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status::error(text, self.now));
    }

    /// Shows an error message that offers `offer`'s key (shown before the
    /// text while the key works, see [`App::status_offer`]).
    pub(super) fn error_offering(&mut self, text: impl Into<String>, offer: Option<Action>) {
        self.status = Some(Status::error(text, self.now).offering(offer));
    }

    /// Shows an error announcing a wait until server time `until`; the
    /// time left counts down live and the message goes when it is over.
    pub(super) fn wait_error(&mut self, prefix: &str, until: ServerTime, suffix: &str) {
        let t = self.server_now();
        self.status = Some(Status::wait(prefix, until, suffix, self.now, t));
    }

    /// A new action went out: an older message (an error about something
    /// else, a countdown that no longer applies) is cleared.
    pub(super) fn clear_status(&mut self) {
        self.status = None;
    }

    /// Quits now: the drafts are handed to the store, then the loop ends.
    pub(super) fn quit_now(&mut self, fx: &mut Vec<Effect>) {
        self.should_quit = true;
        let drafts = self.drafts_snapshot();
        self.drafts_handed = Some(drafts.clone());
        self.drafts_due = None;
        fx.push(Effect::SaveDrafts(drafts));
        fx.push(Effect::Quit);
    }

    pub(super) fn next_request(&mut self) -> u64 {
        self.next_request = self.next_request.wrapping_add(1);
        self.next_request
    }

    pub(super) fn on_key(&mut self, ev: Key, fx: &mut Vec<Effect>) {
        if self.mode == Mode::Post && self.hold_for_completion(&ev) {
            return;
        }
        if self.too_small() {
            self.on_key_too_small(ev, fx);
            return;
        }
        if self.mode == Mode::Feed {
            self.user_acted();
        }
        let ctrl_c = ev.code == KeyCode::Char('c') && ev.mods == super::key::KeyMods::CONTROL;
        match self.keymap.resolve(self.mode, &ev) {
            Some(action) if self.quit_key_closes_view(action, ctrl_c) => self.close_view(),
            Some(action) => self.act(action, fx),
            // Ctrl-C left unbound (quit rebound): it still quits from the
            // modes without text input, and says how to leave the others.
            None if ctrl_c && !self.mode.takes_text() => self.act(Action::Quit, fx),
            None if ctrl_c => self.say_how_to_leave(),
            None if self.mode == Mode::Editor => {
                // A control char never enters the text (it would reach the
                // screen raw); terminals send control keys as named keys.
                if matches!(ev.code, KeyCode::Char(c) if c.is_control()) {
                    return;
                }
                let Some(c) = self.composer.as_mut() else {
                    return;
                };
                let adds = matches!(ev.code, KeyCode::Char(_) | KeyCode::Enter | KeyCode::Tab)
                    && !ev.mods.contains(super::key::KeyMods::CONTROL)
                    && !ev.mods.contains(super::key::KeyMods::ALT);
                if adds && c.text().chars().count() >= COMMENT_MAX_CHARS {
                    self.info(format!(
                        "The comment is at its {COMMENT_MAX_CHARS}-character limit: nothing more can be typed."
                    ));
                    return;
                }
                c.textarea.input(ev);
            }
            None if self.mode == Mode::Post => {
                if matches!(ev.code, KeyCode::Char(c) if c.is_control()) {
                    return;
                }
                self.post_typed(ev);
            }
            None if matches!(self.mode, Mode::Filter | Mode::Search) => {
                let input = if self.mode == Mode::Search {
                    self.search_input.as_mut()
                } else {
                    self.filter_input.as_mut()
                };
                if let Some(t) = input {
                    let ctrl_u =
                        ev.code == KeyCode::Char('u') && ev.mods == super::key::KeyMods::CONTROL;
                    if ctrl_u {
                        // As in a shell (ratatui-textarea would undo): clear the input.
                        t.move_cursor(ratatui_textarea::CursorMove::End);
                        t.delete_line_by_head();
                    } else {
                        t.input(ev);
                    }
                }
            }
            None => {}
        }
    }

    /// Ctrl-C where it is not bound and does not quit (the editor, the
    /// keep/discard question, the filter input): which keys leave.
    fn say_how_to_leave(&mut self) {
        let (what, action) = match self.mode {
            Mode::Editor => ("the editor", Action::Cancel),
            Mode::Confirm => ("this question", Action::BackToEditor),
            Mode::Filter => ("the filter input", Action::ClearFilter),
            Mode::Post => ("the composer", Action::PostClose),
            Mode::Search => ("the search input", Action::CancelSearch),
            // Everywhere else Ctrl-C quits.
            _ => return,
        };
        let key = self.keymap.first_key(action);
        let quit = self.keymap.first_key(Action::Quit);
        self.info(format!(
            "Ctrl-C does not close {what}: {key} does (nothing typed is lost); {quit} quits from the feed."
        ));
    }

    /// A key while the terminal is too small to show anything: the feed's
    /// quit keys quit (an open editor's text is saved as a draft that
    /// opens again at start), Esc closes what is open (the editor keeping
    /// its text as a draft); nothing else happens, so no key edits text
    /// that cannot be seen.
    fn on_key_too_small(&mut self, ev: Key, fx: &mut Vec<Effect>) {
        if self.keymap.resolve(Mode::Feed, &ev) == Some(Action::Quit) {
            self.act(Action::Quit, fx);
            return;
        }
        if ev.code != KeyCode::Esc {
            return;
        }
        match self.mode {
            Mode::Editor | Mode::Confirm => {
                let blank = self.composer.as_ref().is_none_or(Composer::is_blank);
                if blank {
                    self.act(Action::Cancel, fx);
                } else {
                    self.act(Action::KeepDraft, fx);
                }
            }
            Mode::Help => self.act(Action::CloseHelp, fx),
            Mode::Profiles => self.act(Action::CloseProfiles, fx),
            Mode::Outbox => self.act(Action::CloseOutbox, fx),
            Mode::Triage => self.act(Action::TriageLeave, fx),
            Mode::Full => self.act(Action::CloseFull, fx),
            Mode::Mutes => self.act(Action::CloseMutes, fx),
            Mode::MuteTag => self.act(Action::CloseTags, fx),
            Mode::Filter => self.act(Action::ClearFilter, fx),
            Mode::Post => self.act(Action::PostClose, fx),
            Mode::Search => self.act(Action::CancelSearch, fx),
            Mode::Feed if self.view.is_some() => self.act(Action::CloseView, fx),
            Mode::Feed => {}
        }
    }

    /// A paste goes into the comment editor in one piece (cleaned like a
    /// comment: controls dropped, line breaks kept) or into the filter
    /// input (one line); elsewhere it is ignored, never taken as key
    /// presses.
    fn on_paste(&mut self, text: &str) {
        if self.too_small() {
            // Nothing goes into text that cannot be seen.
            return;
        }
        match self.mode {
            Mode::Editor => {
                let Some(c) = self.composer.as_mut() else {
                    return;
                };
                let room = COMMENT_MAX_CHARS.saturating_sub(c.text().chars().count());
                let (clean, cut) = paste_within(text, room);
                c.textarea.insert_str(clean);
                if cut {
                    self.info(format!(
                        "Paste cut at the {COMMENT_MAX_CHARS}-character comment limit."
                    ));
                }
            }
            Mode::Feed => {
                let keys = self.keymap.keys_label(Action::Comment);
                self.info(if keys.is_empty() {
                    "Paste ignored: open the comment editor first.".to_string()
                } else {
                    format!("Paste ignored: open the editor with {keys} first.")
                });
            }
            Mode::Filter | Mode::Search => {
                // One line: line breaks become spaces.
                let clean = crate::text::clean_line(&text.replace(['\r', '\n'], " "));
                let input = if self.mode == Mode::Search {
                    self.search_input.as_mut()
                } else {
                    self.filter_input.as_mut()
                };
                if let Some(t) = input {
                    t.insert_str(clean);
                }
            }
            Mode::Post => self.post_paste(text),
            Mode::Confirm
            | Mode::Help
            | Mode::Profiles
            | Mode::Triage
            | Mode::Outbox
            | Mode::Full
            | Mode::Mutes
            | Mode::MuteTag => {}
        }
    }

    fn on_tick(&mut self, fx: &mut Vec<Effect>) {
        let now = self.now;
        if self.status.as_ref().is_some_and(|s| s.expires_at <= now) {
            self.status = None;
        }
        if self.link.is_failing() {
            // Reads fail: only the backed-off resync runs.
            if self.link.retry_at.is_some_and(|t| t <= now) {
                self.resync(fx);
            }
            return;
        }
        if !self.me_in_flight && self.next_me_at <= now {
            self.fetch_me(fx);
        }
        if self.feed_retry_at.is_some_and(|t| t <= now) {
            self.feed_retry_at = None;
            let sort = self.sort;
            if self.feed().loaded() {
                self.load_more(sort, fx);
            } else {
                self.load_first(sort, fx);
            }
        }
        self.refresh_for_scheduled(fx);
        if !self.paused && self.auto_refresh_at.is_some_and(|t| t <= now) {
            self.auto_refresh_at = None;
            // Merge the first page: update numbers, add new posts on top;
            // loaded pages and the selection stay.
            let sort = self.sort;
            let feed = self.feed_of_mut(sort);
            if feed.loaded() && feed.loading().is_none() {
                self.start_merge(sort, fx);
            } else {
                self.schedule_auto_refresh();
            }
        }
    }

    pub(super) fn schedule_auto_refresh(&mut self) {
        if self.options.refresh_secs > 0 {
            self.auto_refresh_at = Some(add_secs(self.now, secs_i64(self.options.refresh_secs)));
        }
    }

    /// Requests `me` unless one is in flight (then once more after it).
    pub(super) fn fetch_me(&mut self, fx: &mut Vec<Effect>) {
        if self.me_in_flight {
            self.me_again = true;
        } else {
            self.me_in_flight = true;
            fx.push(Effect::FetchMe);
        }
    }

    /// Requests the first page of `sort` (a new generation).
    pub(super) fn load_first(&mut self, sort: FeedSort, fx: &mut Vec<Effect>) {
        let generation = self.feed_of_mut(sort).start_first();
        fx.push(Effect::LoadFeed {
            sort,
            generation,
            cursor: None,
            kind: Loading::First,
        });
    }

    /// Requests the next page of `sort` by cursor, when there is one.
    pub(super) fn load_more(&mut self, sort: FeedSort, fx: &mut Vec<Effect>) {
        if let Some((generation, cursor)) = self.feed_of_mut(sort).start_next() {
            fx.push(Effect::LoadFeed {
                sort,
                generation,
                cursor: Some(cursor),
                kind: Loading::More,
            });
        }
    }

    pub(super) fn maybe_load_more(&mut self, fx: &mut Vec<Effect>) {
        if self.feed().wants_more(self.feed_rows())
            && self.feed_retry_at.is_none()
            && !self.link.is_failing()
        {
            self.load_more(self.sort, fx);
        }
    }

    pub(super) fn act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if self.view.is_some() && self.mode == Mode::Feed && self.act_in_view(action, fx).is_some()
        {
            return;
        }
        self.leave_follow_on_move(action);
        let rows = self.feed_rows();
        let page = rows.max(2) as isize - 1;
        match action {
            Action::MoveDown => self.move_by(1, rows, fx),
            Action::MoveUp => self.move_by(-1, rows, fx),
            Action::PageDown => self.move_by(page, rows, fx),
            Action::PageUp => self.move_by(-page, rows, fx),
            Action::First => self.jump_top(fx),
            Action::Last => {
                let last = self.feed().view_len().saturating_sub(1);
                self.feed_mut().select(last, rows);
                self.maybe_load_more(fx);
            }
            Action::SwitchSort => {
                self.sort = self.sort.other();
                self.feed_mut().scroll_into_view(rows);
                if !self.feed().loaded() && self.feed().loading().is_none() {
                    self.load_first(self.sort, fx);
                } else {
                    self.maybe_load_more(fx);
                }
            }
            Action::Refresh if self.feed().loading() == Some(Loading::First) => {
                // One page request at a time: the refresh is on its way.
                self.info(format!("{REFRESHING}{} feed…", self.sort.label()));
            }
            Action::Refresh => {
                self.feed_mut().start_seek();
                self.link.retry_at = None;
                self.feed_retry_at = None;
                self.load_first(self.sort, fx);
                self.fetch_me(fx);
                self.info(format!("{REFRESHING}{} feed…", self.sort.label()));
            }
            Action::TogglePause => self.toggle_pause(fx),
            Action::Follow => self.toggle_follow(fx),
            Action::OpenFilter => self.open_filter(),
            Action::CycleVerdict => self.cycle_verdict(fx),
            Action::ToggleUnmedalled => self.toggle_unmedalled(fx),
            Action::ApplyFilter => self.apply_filter(fx),
            Action::ClearFilter => self.clear_filter(fx),
            Action::ToggleLike => self.toggle_like(fx),
            Action::MedalGold | Action::MedalSilver | Action::MedalBronze => {
                if let Some(m) = action.medal() {
                    self.give_medal(m, fx);
                }
            }
            Action::Comment => self.open_composer(),
            Action::NewPost => self.open_post_composer(fx),
            Action::PostSend => self.send_post(fx),
            Action::PostTab => self.post_tab(fx),
            Action::PostPrevField => self.post_prev_field(),
            Action::PostReencode => self.post_reencode(fx),
            Action::PostEditor => self.post_external_editor(fx),
            Action::PostClose => self.close_post_composer(),
            Action::OpenInBrowser => {
                if let Some(p) = self.selected() {
                    fx.push(Effect::OpenPost {
                        post_id: p.id.clone(),
                    });
                }
            }
            Action::CopyUrl => {
                if let Some(p) = self.selected() {
                    fx.push(Effect::CopyPostUrl {
                        post_id: p.id.clone(),
                    });
                }
            }
            Action::TogglePost => {
                self.zoom_post = !self.zoom_post;
                let rows = self.feed_rows();
                self.feed_mut().scroll_into_view(rows);
            }
            Action::PostDown => self.scroll_post(1),
            Action::PostUp => self.scroll_post(-1),
            Action::TogglePreviews => self.toggle_previews(fx),
            Action::FullImage => self.open_full(),
            Action::FullNextPost => self.full_step_post(1, fx),
            Action::FullPrevPost => self.full_step_post(-1, fx),
            Action::FullNextImage => self.full_step_image(1),
            Action::FullPrevImage => self.full_step_image(-1),
            Action::CloseFull => self.close_full(fx),
            Action::Help => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
            }
            Action::CloseHelp => self.mode = Mode::Feed,
            Action::HelpDown => {
                let rows = super::layout::help_rows(&self.keymap).len();
                let max = super::layout::help_max_scroll(rows, self.viewport.1);
                self.help_scroll = (self.help_scroll + 1).min(max);
            }
            Action::HelpUp => self.help_scroll = self.help_scroll.saturating_sub(1),
            Action::Quit => self.quit(fx),
            Action::Redraw => fx.push(Effect::Redraw),
            Action::Undo => self.undo_held(),
            Action::Send => self.send_comment(fx),
            Action::ExternalEditor => self.open_external_editor(fx),
            Action::Cancel => {
                let blank = self.composer.as_ref().is_none_or(Composer::is_blank);
                if blank {
                    if let Some(c) = self.composer.take() {
                        self.drafts.remove(&c.post_id);
                    }
                    self.mode = Mode::Feed;
                } else {
                    self.mode = Mode::Confirm;
                }
            }
            Action::KeepDraft => {
                if let Some(c) = self.composer.take() {
                    self.drafts.insert(c.post_id.clone(), c.text());
                    self.info("Draft kept: press c on this post to continue it.");
                }
                self.mode = Mode::Feed;
            }
            Action::Discard => {
                if let Some(c) = self.composer.take() {
                    self.drafts.remove(&c.post_id);
                    self.info("Comment discarded.");
                }
                self.mode = Mode::Feed;
            }
            Action::BackToEditor => self.mode = Mode::Editor,
            Action::Retry => self.retry(fx),
            Action::AuthorView => self.open_author_view(fx),
            Action::OpenSearch => self.open_search(),
            Action::History => self.open_view(super::ViewKind::History, fx),
            Action::Stats => self.open_view(super::ViewKind::Stats, fx),
            Action::CloseView => self.close_view(),
            Action::Profiles
            | Action::ProfileDown
            | Action::ProfileUp
            | Action::ProfileChoose
            | Action::CloseProfiles => self.profiles_act(action, fx),
            Action::HidePost
            | Action::MuteAuthor
            | Action::MuteTag
            | Action::Mutes
            | Action::MutesDown
            | Action::MutesUp
            | Action::Unmute
            | Action::CloseMutes
            | Action::TagDown
            | Action::TagUp
            | Action::TagChoose
            | Action::CloseTags => self.mutes_act(action, fx),
            Action::RunSearch => self.run_search(fx),
            Action::CancelSearch => self.cancel_search(),
            Action::Triage => self.open_triage(),
            Action::TriageGold => self.triage_decide(Some(Medal::Gold)),
            Action::TriageSilver => self.triage_decide(Some(Medal::Silver)),
            Action::TriageBronze => self.triage_decide(Some(Medal::Bronze)),
            Action::TriageSkip => self.triage_decide(None),
            Action::TriageUndo => self.triage_undo(),
            Action::TriageOrder => self.triage_switch_order(fx),
            Action::TriageHide => self.triage_mute(Action::HidePost, fx),
            Action::TriageMuteAuthor => self.triage_mute(Action::MuteAuthor, fx),
            Action::TriageLeave => self.close_triage(),
            Action::Outbox | Action::TriageOutbox => self.open_outbox(),
            Action::OutboxDown => self.outbox.cursor = self.outbox.cursor.saturating_add(1),
            Action::OutboxUp => self.outbox.cursor = self.outbox.cursor.saturating_sub(1),
            Action::OutboxCancel => self.cancel_selected_outboxed(),
            Action::CloseOutbox => self.close_outbox(),
        }
    }

    /// Scrolls the selected post's caption by `delta` lines, within what
    /// the post pane cannot show at once.
    pub(super) fn scroll_post(&mut self, delta: isize) {
        let Some(id) = self.selected().map(|p| p.id.clone()) else {
            return;
        };
        let max = super::layout::post_scroll_max(self) as isize;
        let cur = match &self.post_scroll {
            Some((p, n)) if *p == id => *n as isize,
            _ => 0,
        };
        let n = (cur + delta).clamp(0, max) as usize;
        self.post_scroll = (n > 0).then_some((id, n));
    }

    fn move_by(&mut self, delta: isize, rows: usize, fx: &mut Vec<Effect>) {
        self.feed_mut().move_by(delta, rows);
        self.maybe_load_more(fx);
    }

    pub(super) fn readonly_refusal(&mut self) -> bool {
        if self.options.readonly {
            self.error(
                "Read-only mode: likes, medals and comments are off (started with --readonly).",
            );
        }
        self.options.readonly
    }

    fn toggle_like(&mut self, fx: &mut Vec<Effect>) {
        if let Some(id) = self.selected().map(|p| p.id.clone()) {
            self.toggle_like_of(&id, fx);
        }
    }

    /// Toggles the like of the post `id` (in either feed list).
    pub(super) fn toggle_like_of(&mut self, id: &str, fx: &mut Vec<Effect>) {
        if self.readonly_refusal() {
            return;
        }
        let Some(post) = self.post(id) else { return };
        let write = Write::Like {
            post_id: post.id.clone(),
            liked: !post.agent_liked,
        };
        self.begin_write(write, fx);
    }

    fn give_medal(&mut self, medal: Medal, fx: &mut Vec<Effect>) {
        if let Some(id) = self.selected().map(|p| p.id.clone()) {
            self.give_medal_to(&id, medal, fx);
        }
    }

    /// Gives `medal` to the post `id` (in either feed list).
    pub(super) fn give_medal_to(&mut self, id: &str, medal: Medal, fx: &mut Vec<Effect>) {
        if self.readonly_refusal() {
            return;
        }
        let Some(post) = self.post(id) else { return };
        let own = !self.session.agent_id.is_empty() && post.author.id == self.session.agent_id;
        if own {
            self.error("You cannot give a medal to your own post.");
            return;
        }
        if post.agent_medal.as_ref() == Some(&medal) {
            self.info(format!("You already gave this post {medal}."));
            return;
        }
        let write = Write::Medal {
            post_id: post.id.clone(),
            medal,
        };
        let post_id = write.post_id().to_string();
        if self.begin_write(write, fx) {
            // The newest choice wins over a triage decision still waiting.
            self.cancel_waiting_outboxed(&post_id);
        }
    }

    fn open_composer(&mut self) {
        if self.readonly_refusal() {
            return;
        }
        let Some(post) = self.selected() else { return };
        let id = post.id.clone();
        let author = post.author.handle.clone();
        let draft = self.drafts.get(&id).cloned().unwrap_or_default();
        self.composer = Some(Composer::new(id, author, &draft));
        self.mode = Mode::Editor;
    }

    pub(super) fn send_comment(&mut self, fx: &mut Vec<Effect>) {
        let Some(c) = self.composer.as_ref() else {
            return;
        };
        let text = c.text();
        let body = text.trim().to_string();
        // While a comment waits, begin_write says so (whatever the text).
        if !self.writes.comment_pending() {
            if body.is_empty() {
                self.error("The comment is empty: write something first.");
                return;
            }
            let n = body.chars().count();
            if n > COMMENT_MAX_CHARS {
                self.error(format!(
                    "The comment has {n} characters; the limit is {COMMENT_MAX_CHARS}."
                ));
                return;
            }
        }
        let write = Write::Comment {
            post_id: c.post_id.clone(),
            body,
        };
        self.begin_write(write, fx);
    }

    /// The post with this id, from the open view, the feed on screen or
    /// the other list.
    pub fn post(&self, id: &str) -> Option<&crate::api::FeedItem> {
        self.view_post(id)
            .or_else(|| self.feed().post(id))
            .or_else(|| self.latest.post(id))
            .or_else(|| self.rising.post(id))
    }

    /// Applies `f` to the post with this id in every feed list and the
    /// open view.
    pub(super) fn for_each_post(&mut self, id: &str, f: impl Fn(&mut crate::api::FeedItem)) {
        self.for_each_view_post(id, &f);
        if let Some(p) = self.latest.post_mut(id) {
            f(p);
        }
        if let Some(p) = self.rising.post_mut(id) {
            f(p);
        }
    }

    pub(super) fn set_feed_retry(&mut self, secs: u64) {
        self.feed_retry_at = Some(add_secs(self.now, secs_i64(secs.max(1))));
    }

    pub(super) fn me_done(&mut self, retry_in_secs: i64, fx: &mut Vec<Effect>) {
        self.me_in_flight = false;
        self.next_me_at = add_secs(self.now, retry_in_secs);
        if std::mem::take(&mut self.me_again) {
            self.fetch_me(fx);
        }
    }
}

/// At most `room` chars of pasted `text`, cleaned like a comment, and
/// whether anything was left out. Only a bounded prefix is cleaned, so a
/// paste of any size costs about the same.
pub(super) fn paste_within(text: &str, room: usize) -> (String, bool) {
    // Cleaning only drops or replaces chars, so a generous prefix suffices.
    let limit = room.saturating_mul(4).saturating_add(64);
    let prefix_end = text
        .char_indices()
        .nth(limit)
        .map_or(text.len(), |(i, _)| i);
    let clean = crate::text::clean_input(&text[..prefix_end]);
    let end = clean.char_indices().nth(room).map(|(i, _)| i);
    match end {
        Some(i) => (clean[..i].to_string(), true),
        None => (clean, prefix_end < text.len()),
    }
}
