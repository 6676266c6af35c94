//! Mutes in a store on a real file: kept, listed, removed, per account,
//! handed over by a stand-in account.

use super::*;

fn account(agent: &str) -> Account {
    Account::new("http://127.0.0.1:9", agent)
}

fn open(dir: &tempfile::TempDir) -> Store {
    let (store, notice) = Store::open(&dir.path().join(FILE_NAME));
    assert_eq!(notice, None);
    store.unwrap()
}

#[test]
fn mutes_are_put_listed_oldest_first_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(&dir);
    let a = account("a");
    let tag = Mute::new(MuteKind::Tag, " #Neon ", "", 30);
    let author = Mute::new(MuteKind::Author, "@Pixel-Poet", "", 10);
    let post = Mute::new(MuteKind::Post, "p7", "@ana · A Cat", 20);
    assert_eq!(tag.value, "neon");
    assert_eq!(author.value, "pixel-poet");
    assert_eq!(post.value, "p7", "a post id is kept as it is");
    for m in [&tag, &author, &post] {
        s.put_mute(&a, m).unwrap();
    }
    // The same mute again keeps the first one (and its time).
    s.put_mute(&a, &Mute::new(MuteKind::Tag, "NEON", "", 99))
        .unwrap();
    assert_eq!(
        s.mutes(&a).unwrap(),
        [author.clone(), post.clone(), tag.clone()]
    );
    assert!(s.remove_mute(&a, MuteKind::Post, "p7").unwrap());
    assert!(!s.remove_mute(&a, MuteKind::Post, "p7").unwrap(), "gone");
    s.change_mute(&a, &MuteChange::Remove(MuteKind::Tag, "neon".into()))
        .unwrap();
    s.change_mute(&a, &MuteChange::Put(post.clone())).unwrap();
    assert_eq!(s.mutes(&a).unwrap(), [author, post]);
}

#[test]
fn each_account_has_its_own_mutes() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(&dir);
    let (a, b) = (account("a"), account("b"));
    let other_server = Account::new("http://127.0.0.1:10", "a");
    s.put_mute(&a, &Mute::new(MuteKind::Author, "ana", "", 1))
        .unwrap();
    assert!(s.mutes(&b).unwrap().is_empty());
    assert!(s.mutes(&other_server).unwrap().is_empty());
    assert!(!s.remove_mute(&b, MuteKind::Author, "ana").unwrap());
    assert_eq!(s.mutes(&a).unwrap().len(), 1);
}

#[test]
fn a_stand_in_account_hands_its_mutes_to_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let stand_in = Account::unconnected("http://127.0.0.1:9", "ais_abc");
    let real = account("agent-1");
    let both_real = Mute::new(MuteKind::Tag, "neon", "", 1);
    s.put_mute(&real, &both_real).unwrap();
    s.put_mute(&stand_in, &Mute::new(MuteKind::Tag, "neon", "", 5))
        .unwrap();
    let only_stand_in = Mute::new(MuteKind::Post, "p1", "@ana · cat", 6);
    s.put_mute(&stand_in, &only_stand_in).unwrap();
    s.adopt(&stand_in, &real).unwrap();
    assert_eq!(s.mutes(&real).unwrap(), [both_real, only_stand_in]);
    assert!(s.mutes(&stand_in).unwrap().is_empty());
}

#[test]
fn the_store_s_thread_keeps_mutes_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let a = account("a");
    let (h, _) = StoreHandle::open(&path);
    let (tx, rx) = std::sync::mpsc::channel();
    let m = Mute::new(MuteKind::Author, "ana", "", 3);
    h.change_mute(&a, MuteChange::Put(m.clone()), move |r| {
        tx.send(r).unwrap();
    });
    assert_eq!(rx.recv().unwrap(), Ok(()));
    h.close();
    let (h, _) = StoreHandle::open(&path);
    assert_eq!(
        h.mutes_wait(&a, std::time::Duration::from_secs(5)),
        Ok(vec![m])
    );
}
