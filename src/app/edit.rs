//! The external editor from the app's side: the key asks the runtime for
//! [`Effect::ExternalEditor`] with the text; the answer, [`Msg::Edited`],
//! replaces the text, or says why not and keeps it.

use super::{App, EditTarget, Effect};

impl App {
    /// `Ctrl-E` in the comment editor: the text goes to the external
    /// editor (not while the comment is being sent).
    pub(super) fn open_external_editor(&mut self, fx: &mut Vec<Effect>) {
        let Some(c) = self.composer.as_ref() else {
            return;
        };
        if c.sending.is_some() {
            self.info("The comment is being sent; edit it when the answer is in.");
            return;
        }
        fx.push(Effect::ExternalEditor {
            target: EditTarget::Comment {
                post_id: c.post_id.clone(),
            },
            text: c.text(),
        });
    }

    /// The external editor closed: its text replaces the editor's (or, if
    /// that editor was closed meanwhile, becomes the post's draft); a
    /// failure is said and the text stays as it was.
    pub(super) fn on_edited(&mut self, target: EditTarget, result: Result<String, String>) {
        let text = match result {
            Ok(t) => t,
            Err(e) => {
                self.error(e);
                return;
            }
        };
        match target {
            EditTarget::Comment { post_id } => match self.composer.as_mut() {
                Some(c) if c.post_id == post_id => {
                    c.set_text(&text);
                    let n = c.text().trim().chars().count();
                    if n > super::COMMENT_MAX_CHARS {
                        self.error(format!(
                            "Text back from the editor: {n} characters, over the {} limit; shorten it before sending.",
                            super::COMMENT_MAX_CHARS
                        ));
                    } else {
                        self.info("Text back from the editor.");
                    }
                }
                _ => {
                    self.drafts.insert(post_id, crate::text::clean_input(&text));
                    self.info("The edited text was kept as the post's draft.");
                }
            },
            EditTarget::Caption => match self.post_composer.as_mut() {
                Some(c) => {
                    c.set_text(super::PostField::Caption, &text);
                    match super::check_caption(c.caption_text().as_deref()) {
                        Ok(()) => self.info("Caption back from the editor."),
                        Err(e) => self.error(e),
                    }
                }
                None => self.error("The composer was closed; the edited caption is lost."),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{key, t0, TestApp};
    use super::super::{Action, EditTarget, Effect, Mode, Msg};

    fn editor_open() -> super::App {
        let mut app = TestApp::new().build();
        app.update(key("c"), t0());
        assert_eq!(app.mode, Mode::Editor);
        app
    }

    /// The external editor's default key (from the actions table).
    fn ctrl_e() -> Msg {
        key(Action::ExternalEditor.row().keys[0])
    }

    #[test]
    fn the_key_hands_the_text_over_and_the_answer_replaces_it() {
        let mut app = editor_open();
        app.update(Msg::Paste("draft line".into()), t0());
        let fx = app.update(ctrl_e(), t0());
        let post_id = app.composer.as_ref().unwrap().post_id.clone();
        let target = EditTarget::Comment {
            post_id: post_id.clone(),
        };
        assert!(fx.contains(&Effect::ExternalEditor {
            target: target.clone(),
            text: "draft line".into()
        }));
        app.update(
            Msg::Edited {
                target,
                result: Ok("draft line\nsecond \x1b[31mline".into()),
            },
            t0(),
        );
        let c = app.composer.as_ref().unwrap();
        assert_eq!(
            c.text(),
            "draft line\nsecond \u{241b}[31mline",
            "ESC made visible"
        );
        assert_eq!(app.mode, Mode::Editor);
    }

    #[test]
    fn a_failure_is_said_and_the_text_kept() {
        let mut app = editor_open();
        app.update(Msg::Paste("keep me".into()), t0());
        let post_id = app.composer.as_ref().unwrap().post_id.clone();
        app.update(
            Msg::Edited {
                target: EditTarget::Comment { post_id },
                result: Err(
                    "The editor vim failed (exit status: 1); your comment is as it was.".into(),
                ),
            },
            t0(),
        );
        assert_eq!(app.composer.as_ref().unwrap().text(), "keep me");
        let s = app.status.as_ref().unwrap();
        assert!(s.text.contains("failed"), "{}", s.text);
    }

    #[test]
    fn an_answer_for_another_post_becomes_its_draft() {
        let mut app = editor_open();
        app.update(
            Msg::Edited {
                target: EditTarget::Comment {
                    post_id: "elsewhere".into(),
                },
                result: Ok("text".into()),
            },
            t0(),
        );
        assert_eq!(
            app.drafts.get("elsewhere").map(String::as_str),
            Some("text")
        );
        assert_eq!(app.composer.as_ref().unwrap().text(), "");
    }
}
