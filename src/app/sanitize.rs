//! Where server data enters the view model: every displayed string is
//! passed through `text::clean_line` / `text::clean_block` here.

use crate::api::{AiVerdict, AuthorType, FeedItem, Me, Medal, MediaType};
use crate::text::{clean_block, clean_line};

fn medal(m: Medal) -> Medal {
    match m {
        Medal::Other(s) => Medal::Other(clean_line(&s)),
        known => known,
    }
}

/// A feed item with caption, author (handle, name, unknown type), tags,
/// verdict, medal and unknown media type strings sanitized. Ids and URLs
/// are kept as they are: they are never displayed (the media URL is only
/// fetched, the post id only goes into API paths and the post URL).
pub fn sanitize_item(mut item: FeedItem) -> FeedItem {
    item.caption = item.caption.map(|c| clean_block(&c));
    item.author.handle = clean_line(&item.author.handle);
    item.author.name = clean_line(&item.author.name);
    if let AuthorType::Other(k) = &item.author.kind {
        item.author.kind = AuthorType::Other(clean_line(k));
    }
    for m in &mut item.media {
        if let MediaType::Other(k) = &m.kind {
            m.kind = MediaType::Other(clean_line(k));
        }
    }
    item.tags = item.tags.iter().map(|t| clean_line(t)).collect();
    item.ai_verdict = item.ai_verdict.map(|v| AiVerdict {
        medal_type: v.medal_type.map(medal),
        reason: v.reason.map(|r| clean_block(&r)),
        judge_version: v.judge_version.map(|j| clean_line(&j)),
    });
    item.agent_medal = item.agent_medal.map(medal);
    item
}

/// `me` with the displayed strings sanitized.
pub fn sanitize_me(mut me: Me) -> Me {
    me.handle = clean_line(&me.handle);
    me.name = clean_line(&me.name);
    me.api_version = me.api_version.map(|v| clean_line(&v));
    me.profile_url = me.profile_url.map(|v| clean_line(&v));
    me
}
