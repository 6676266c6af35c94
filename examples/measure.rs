//! Measures the README's performance budgets on the real binary in a
//! pseudo-terminal (run by `scripts/measure.sh`, which builds both in
//! release mode):
//!
//! - **first feed frame**: time from spawning `aispace-tui --demo` to the
//!   first screen that shows a feed row, at 160 x 45 (median and max of
//!   several runs);
//! - **first cached frame** (`first-cached`): the same from the local
//!   store: a first run stores the feed of a sandbox served here, then the
//!   sandbox stops and a listener on its address holds every connection
//!   2 s and closes it; time from spawn to feed rows marked "cached";
//! - **bytes for one `j`**: bytes the binary writes to the terminal for one
//!   `j` at 160 x 45 with previews off (`--image-protocol none`), so the
//!   image never changes (median and max over several presses);
//! - **idle CPU**: `utime + stime` from `/proc/PID/stat` over N seconds
//!   (default 60) of no input, as percent of one core, for `--demo` (TUI
//!   plus in-process sandbox and its activity simulator, default settings)
//!   and for the TUI alone against a sandbox served by this program;
//! - **RSS with 10,000 posts**: `VmRSS`/`VmHWM` of the TUI after loading
//!   10,000 posts from a sandbox served by this program (the demo seed plus
//!   10,000 inserted posts, `AISPACE_FEED_CAP=10000` so none are dropped,
//!   End held down so page after page loads), previews off;
//! - **RSS with previews** (`rss-previews`): the same with halfblocks
//!   previews and the default image cache, after viewing `--browse N`
//!   (default 60) posts, each with its own picture.
//!
//! - **huge pictures** (`stress-images`, run by `scripts/stress-images.sh`,
//!   not part of "all"): 25 posts whose pictures are 8000 x 8000 (baseline
//!   and progressive JPEG, 8- and 16-bit PNG), previews on (halfblocks);
//!   `j` is pressed 10 times a second through all of them, then the peak
//!   RSS (`VmHWM`) and the RSS 10 s after the last key are read; then each
//!   picture is viewed until drawn (every decode runs to its end) and both
//!   are read again.
//!
//! Usage: `measure [--bin PATH] [--idle-secs N] [--posts N] [--runs N]
//! [--browse N] [--only first|first-cached|bytes|idle|rss|rss-previews|stress-images]...`
//! (no `--only`: all but `stress-images`). Linux only (`/proc`).
//!
//! The child's HOME and XDG directories point into a temporary directory,
//! so drafts, logs and config never touch the user's; of the caller's
//! environment only PATH and the `AISPACE_*` variables are passed on (to
//! measure other settings, e.g. `AISPACE_IMAGE_CACHE_MB=32`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    match linux::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("measure: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("measure: Linux only (reads /proc)");
}

#[cfg(target_os = "linux")]
mod linux {
    use aispace_tui::sandbox::{spawn, RunningSandbox, Sandbox, SandboxOptions, Seed};
    use anyhow::{anyhow, bail, Context, Result};
    use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize, SlavePty};
    use std::io::{Read, Write};
    use std::num::NonZeroU16;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    const COLS: u16 = 160;
    const ROWS: u16 = 45;
    /// Longest wait for any screen condition.
    const DEADLINE: Duration = Duration::from_secs(60);

    struct Args {
        bin: PathBuf,
        idle_secs: u64,
        posts: usize,
        runs: usize,
        only: Vec<String>,
        browse: usize,
    }

    fn args() -> Result<Args> {
        let mut a = Args {
            bin: PathBuf::from("target/release/aispace-tui"),
            idle_secs: 60,
            posts: 10_000,
            runs: 5,
            only: Vec::new(),
            browse: 60,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| anyhow!("{flag} needs a value"));
            match flag.as_str() {
                "--bin" => a.bin = PathBuf::from(value()?),
                "--idle-secs" => a.idle_secs = value()?.parse().context("--idle-secs")?,
                "--posts" => a.posts = value()?.parse().context("--posts")?,
                "--runs" => a.runs = value()?.parse().context("--runs")?,
                "--only" => a.only.push(value()?),
                "--browse" => a.browse = value()?.parse().context("--browse")?,
                other => bail!("unknown argument {other:?} (see the source's doc comment)"),
            }
        }
        if !a.bin.exists() {
            bail!(
                "{} does not exist: build it first (cargo build --release)",
                a.bin.display()
            );
        }
        a.bin = a.bin.canonicalize()?;
        Ok(a)
    }

    /// Output seen so far.
    struct Out {
        parser: vt100::Parser,
        bytes: u64,
        last_byte_at: Instant,
        first_byte_at: Option<Instant>,
        first_rows_at: Option<Instant>,
        sync_frames: u64,
        full_clears: u64,
    }

    /// The binary running in a pty, its output parsed by vt100.
    struct Term {
        master: Box<dyn MasterPty + Send>,
        _slave: Box<dyn SlavePty + Send>,
        writer: Box<dyn Write + Send>,
        child: Box<dyn Child + Send + Sync>,
        out: Arc<Mutex<Out>>,
        started: Instant,
        /// The home made for this run (`None`: the caller's, kept across runs).
        _home: Option<tempfile::TempDir>,
    }

    fn count(hay: &[u8], needle: &[u8]) -> u64 {
        hay.windows(needle.len()).filter(|w| *w == needle).count() as u64
    }

    impl Term {
        fn spawn(bin: &Path, args: &[&str], env: &[(&str, String)]) -> Result<Term> {
            let home = tempfile::tempdir()?;
            let path = home.path().to_path_buf();
            Term::spawn_at(bin, args, env, &path, Some(home))
        }

        /// As [`Term::spawn`] with the home directory `h` (its store kept
        /// from run to run).
        fn spawn_at(
            bin: &Path,
            args: &[&str],
            env: &[(&str, String)],
            h: &Path,
            home: Option<tempfile::TempDir>,
        ) -> Result<Term> {
            let pair = native_pty_system().openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })?;
            let mut cmd = CommandBuilder::new(bin);
            cmd.args(args);
            cmd.env_clear();
            if let Some(p) = std::env::var_os("PATH") {
                cmd.env("PATH", p);
            }
            cmd.env("HOME", h);
            cmd.env("XDG_STATE_HOME", h.join("state"));
            cmd.env("XDG_CONFIG_HOME", h.join("config"));
            cmd.env("XDG_DATA_HOME", h.join("data"));
            cmd.env("XDG_CACHE_HOME", h.join("cache"));
            cmd.env("TERM", "xterm-256color");
            cmd.env("LANG", "C.UTF-8");
            // AISPACE_* settings of the caller pass through (to try e.g.
            // AISPACE_IMAGE_CACHE_MB=32); `env` is applied after them.
            for (k, v) in std::env::vars_os() {
                if k.to_string_lossy().starts_with("AISPACE_") {
                    cmd.env(k, v);
                }
            }
            for (k, v) in env {
                cmd.env(k, v);
            }
            cmd.cwd(h);
            let mut reader = pair.master.try_clone_reader()?;
            let writer = pair.master.take_writer()?;
            let started = Instant::now();
            let out = Arc::new(Mutex::new(Out {
                parser: vt100::Parser::new(
                    NonZeroU16::new(ROWS).unwrap_or(NonZeroU16::MIN),
                    NonZeroU16::new(COLS).unwrap_or(NonZeroU16::MIN),
                    0,
                ),
                bytes: 0,
                last_byte_at: started,
                first_byte_at: None,
                first_rows_at: None,
                sync_frames: 0,
                full_clears: 0,
            }));
            let child = pair.slave.spawn_command(cmd)?;
            let sink = Arc::clone(&out);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let now = Instant::now();
                            let mut o = sink.lock().unwrap_or_else(|e| e.into_inner());
                            o.parser.process(&buf[..n]);
                            o.bytes += n as u64;
                            o.last_byte_at = now;
                            o.first_byte_at.get_or_insert(now);
                            o.sync_frames += count(&buf[..n], b"\x1b[?2026h");
                            o.full_clears += count(&buf[..n], b"\x1b[2J");
                            if o.first_rows_at.is_none()
                                && o.parser.screen().contents().contains("│> @")
                            {
                                o.first_rows_at = Some(now);
                            }
                        }
                    }
                }
            });
            Ok(Term {
                master: pair.master,
                _slave: pair.slave,
                writer,
                child,
                out,
                started,
                _home: home,
            })
        }

        fn pid(&self) -> Result<u32> {
            self.child
                .process_id()
                .ok_or_else(|| anyhow!("no child pid"))
        }

        fn with<R>(&self, f: impl FnOnce(&Out) -> R) -> R {
            let o = self.out.lock().unwrap_or_else(|e| e.into_inner());
            f(&o)
        }

        fn screen(&self) -> String {
            self.with(|o| o.parser.screen().contents())
        }

        fn send(&mut self, bytes: &[u8]) -> Result<()> {
            self.writer.write_all(bytes)?;
            self.writer.flush()?;
            Ok(())
        }

        fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> Result<String> {
            let end = Instant::now() + DEADLINE;
            loop {
                let s = self.screen();
                if pred(&s) {
                    return Ok(s);
                }
                if let Some(st) = self.child.try_wait()? {
                    bail!("the binary exited ({st:?}) while waiting for {what}; screen:\n{s}");
                }
                if Instant::now() > end {
                    bail!("no {what} within {DEADLINE:?}; screen:\n{s}");
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }

        /// Waits until nothing was written for `quiet`.
        fn wait_quiet(&mut self, quiet: Duration) -> Result<()> {
            let end = Instant::now() + DEADLINE;
            loop {
                let last = self.with(|o| o.last_byte_at);
                if last.elapsed() >= quiet {
                    return Ok(());
                }
                if Instant::now() > end {
                    bail!("the terminal never went quiet for {quiet:?}");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }

        fn quit(mut self) -> Result<()> {
            self.send(b"q")?;
            let end = Instant::now() + DEADLINE;
            loop {
                if let Some(st) = self.child.try_wait()? {
                    if !st.success() {
                        bail!("the binary exited with {st:?}");
                    }
                    return Ok(());
                }
                if Instant::now() > end {
                    let _ = self.child.kill();
                    bail!("the binary did not quit");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    impl Drop for Term {
        fn drop(&mut self) {
            if let Ok(None) = self.child.try_wait() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
            let _ = &self.master;
        }
    }

    fn selected_row(screen: &str) -> Option<usize> {
        screen.lines().position(|l| l.contains("│> @"))
    }

    /// `(posts, more)` from the feed title `Feed · latest · N[+] posts`.
    fn title_count(screen: &str) -> Option<(usize, bool)> {
        let line = screen.lines().find(|l| l.contains("Feed · "))?;
        let i = line.find(" posts")?;
        let num = line[..i].rsplit(' ').next()?;
        let more = num.ends_with('+');
        Some((num.trim_end_matches('+').parse().ok()?, more))
    }

    fn median(v: &mut [f64]) -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    }

    fn max(v: &[f64]) -> f64 {
        v.iter().copied().fold(f64::MIN, f64::max)
    }

    fn verdict(ok: bool) -> &'static str {
        if ok {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    }

    const DEMO: &[&str] = &["--demo", "--refresh", "0", "--image-protocol", "none"];

    fn first_frame(a: &Args) -> Result<()> {
        let mut rows = Vec::new();
        let mut firsts = Vec::new();
        for _ in 0..a.runs {
            let mut t = Term::spawn(&a.bin, DEMO, &[])?;
            t.wait_for("feed rows", |s| selected_row(s).is_some())?;
            let (start, first, feed) = t.with(|o| (t.started, o.first_byte_at, o.first_rows_at));
            let feed = feed.ok_or_else(|| anyhow!("feed rows seen but not timed"))?;
            rows.push((feed - start).as_secs_f64() * 1000.0);
            if let Some(f) = first {
                firsts.push((f - start).as_secs_f64() * 1000.0);
            }
            t.wait_quiet(Duration::from_millis(100))?;
            t.quit()?;
        }
        let m = median(&mut rows);
        let mx = max(&rows);
        println!(
            "first feed frame   --demo at {COLS}x{ROWS}: median {m:.0} ms, max {mx:.0} ms over {} runs \
             (first byte: median {:.0} ms); budget < 150 ms: {}",
            rows.len(),
            median(&mut firsts),
            verdict(m < 150.0)
        );
        Ok(())
    }

    /// First frame with feed rows from the store: a first run against a
    /// sandbox served here stores its feed; then the sandbox stops and a
    /// listener on the same address holds every connection 2 s and closes
    /// it, and the app is started again `runs` times in the same home.
    fn first_cached(a: &Args, rt: &tokio::runtime::Runtime) -> Result<()> {
        const ARGS: &[&str] = &["--refresh", "0", "--image-protocol", "none"];
        let run = serve(rt, 0, true)?;
        let env = external_env(&run, 2000);
        let home = tempfile::tempdir()?;
        let mut t = Term::spawn_at(&a.bin, ARGS, &env, home.path(), None)?;
        t.wait_for("feed rows", |s| selected_row(s).is_some())?;
        t.wait_quiet(Duration::from_millis(300))?;
        t.quit()?;
        let addr = run.addr;
        rt.block_on(run.shutdown());
        let slow = std::net::TcpListener::bind(addr)?;
        std::thread::spawn(move || {
            for conn in slow.incoming().map_while(Result::ok) {
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_secs(2));
                    drop(conn);
                });
            }
        });
        let mut rows = Vec::new();
        for _ in 0..a.runs {
            let mut t = Term::spawn_at(&a.bin, ARGS, &env, home.path(), None)?;
            let screen = t.wait_for("cached feed rows", |s| selected_row(s).is_some())?;
            if !screen.contains("cached") {
                bail!("feed rows without the cached mark:\n{screen}");
            }
            let (start, feed) = t.with(|o| (t.started, o.first_rows_at));
            let feed = feed.ok_or_else(|| anyhow!("feed rows seen but not timed"))?;
            rows.push((feed - start).as_secs_f64() * 1000.0);
            t.quit()?;
        }
        let m = median(&mut rows);
        let mx = max(&rows);
        println!(
            "first cached frame from the store, the server holding each request 2 s, at {COLS}x{ROWS}: \
             median {m:.0} ms, max {mx:.0} ms over {} runs; budget < 50 ms: {}",
            rows.len(),
            verdict(m < 50.0)
        );
        Ok(())
    }

    fn bytes_per_j(a: &Args) -> Result<()> {
        let mut t = Term::spawn(&a.bin, DEMO, &[])?;
        t.wait_for("feed rows", |s| selected_row(s).is_some())?;
        t.wait_quiet(Duration::from_millis(300))?;
        let mut sizes = Vec::new();
        let mut clears = 0;
        let mut syncs = 0;
        let presses = 20;
        for i in 0..presses {
            let row = selected_row(&t.screen());
            let (b0, c0, s0) = t.with(|o| (o.bytes, o.full_clears, o.sync_frames));
            // Down ten times, then up ten times (the list never scrolls).
            t.send(if i < presses / 2 { b"j" } else { b"k" })?;
            t.wait_for("the selection to move", |s| selected_row(s) != row)?;
            t.wait_quiet(Duration::from_millis(150))?;
            let (b1, c1, s1) = t.with(|o| (o.bytes, o.full_clears, o.sync_frames));
            sizes.push((b1 - b0) as f64);
            clears += c1 - c0;
            syncs += s1 - s0;
        }
        t.quit()?;
        let m = median(&mut sizes);
        let mx = max(&sizes);
        println!(
            "bytes for one j    at {COLS}x{ROWS}, previews off: median {m:.0} B, max {mx:.0} B over {presses} presses \
             ({clears} full clears, {syncs} synchronized frames); budget < 3072 B: {}",
            verdict(mx < 3072.0)
        );
        Ok(())
    }

    fn cpu_ticks(pid: u32) -> Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        let rest = &stat[stat.rfind(')').ok_or_else(|| anyhow!("bad stat"))? + 1..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        // Fields after the command: state is field 3, utime 14, stime 15.
        let utime: u64 = f.get(11).ok_or_else(|| anyhow!("no utime"))?.parse()?;
        let stime: u64 = f.get(12).ok_or_else(|| anyhow!("no stime"))?.parse()?;
        Ok(utime + stime)
    }

    fn status_kb(pid: u32, field: &str) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .ok_or_else(|| anyhow!("no {field}"))?;
        Ok(line
            .split_whitespace()
            .nth(1)
            .ok_or_else(|| anyhow!("bad {field}"))?
            .parse()?)
    }

    /// A sandbox with the demo seed plus `extra` posts, served here.
    fn serve(rt: &tokio::runtime::Runtime, extra: usize, still: bool) -> Result<RunningSandbox> {
        rt.block_on(async {
            let mut run = spawn(
                SandboxOptions {
                    seed: Seed::Demo,
                    ..SandboxOptions::default()
                },
                "127.0.0.1:0".parse()?,
            )
            .await?;
            let now = chrono::Utc::now();
            let authors = [
                "pixel-poet",
                "orbit-cam",
                "neon-dreamer",
                "ink-wash",
                "deep-field",
            ];
            for i in 0..extra {
                let caption = format!(
                    "Measured post #{i}: a lighthouse at dusk, rendered in oils, \
                     with a long enough caption to look like a real one"
                );
                run.sandbox.insert_post(
                    authors[i % authors.len()],
                    Some(&caption),
                    &["measure", "oil"],
                    now - chrono::Duration::seconds(60 + 7 * i as i64),
                    None,
                )?;
            }
            if !still {
                run.simulate();
            }
            Ok(run)
        })
    }

    fn external_env(run: &RunningSandbox, feed_cap: usize) -> Vec<(&'static str, String)> {
        vec![
            ("AISPACE_API_URL", run.base_url.clone()),
            ("AISPACE_AGENT_KEY", Sandbox::demo_key().to_string()),
            ("AISPACE_FEED_CAP", feed_cap.to_string()),
        ]
    }

    fn idle_cpu(a: &Args, rt: &tokio::runtime::Runtime) -> Result<()> {
        let run = serve(rt, 0, false)?;
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        // Default settings (auto-refresh every 20 s), previews off.
        let mut demo = Term::spawn(&a.bin, &["--demo", "--image-protocol", "none"], &[])?;
        let mut alone = Term::spawn(
            &a.bin,
            &["--image-protocol", "none"],
            &external_env(&run, 2000),
        )?;
        for t in [&mut demo, &mut alone] {
            t.wait_for("feed rows", |s| selected_row(s).is_some())?;
            t.wait_quiet(Duration::from_millis(500))?;
        }
        let (pd, pa) = (demo.pid()?, alone.pid()?);
        let (d0, a0, w0) = (cpu_ticks(pd)?, cpu_ticks(pa)?, Instant::now());
        let (db0, ab0) = (demo.with(|o| o.bytes), alone.with(|o| o.bytes));
        std::thread::sleep(Duration::from_secs(a.idle_secs));
        let (d1, a1, wall) = (cpu_ticks(pd)?, cpu_ticks(pa)?, w0.elapsed().as_secs_f64());
        let (db1, ab1) = (demo.with(|o| o.bytes), alone.with(|o| o.bytes));
        let pct = |t0: u64, t1: u64| (t1 - t0) as f64 / hz / wall * 100.0;
        let (pdemo, palone) = (pct(d0, d1), pct(a0, a1));
        println!(
            "idle CPU           TUI alone (external sandbox, default settings) over {wall:.0} s: \
             {palone:.2} % of a core ({} ticks of {:.0} ms), {} B written; budget < 0.5 %: {}",
            a1 - a0,
            1000.0 / hz,
            ab1 - ab0,
            verdict(palone < 0.5)
        );
        println!(
            "idle CPU           --demo (TUI + in-process sandbox and activity simulator) over {wall:.0} s: \
             {pdemo:.2} % of a core ({} ticks), {} B written",
            d1 - d0,
            db1 - db0
        );
        demo.quit()?;
        alone.quit()?;
        rt.block_on(run.shutdown());
        Ok(())
    }

    /// Loads `a.posts` posts and prints the RSS. With `browse`, previews
    /// are on (halfblocks, default image cache) and `browse` posts are
    /// viewed one after another (each its own picture) before measuring.
    fn rss(a: &Args, rt: &tokio::runtime::Runtime, browse: usize) -> Result<()> {
        let loading = Instant::now();
        let run = serve(rt, a.posts, true)?;
        let serve_secs = loading.elapsed().as_secs_f64();
        let protocol = if browse > 0 { "halfblocks" } else { "none" };
        let mut t = Term::spawn(
            &a.bin,
            &["--refresh", "0", "--image-protocol", protocol],
            &external_env(&run, a.posts.max(50) * 2),
        )?;
        t.wait_for("feed rows", |s| selected_row(s).is_some())?;
        t.wait_quiet(Duration::from_millis(300))?;
        let pid = t.pid()?;
        let rss_start = status_kb(pid, "VmRSS:")?;
        let started = Instant::now();
        // Hold End: press it again whenever a page arrived (or every 50 ms).
        let mut last = (0usize, true);
        let mut sent_at = Instant::now() - Duration::from_secs(1);
        loop {
            let s = t.screen();
            let c = title_count(&s).ok_or_else(|| anyhow!("no feed title:\n{s}"))?;
            if c.0 >= a.posts && !c.1 {
                break;
            }
            if c != last || sent_at.elapsed() > Duration::from_millis(50) {
                t.send(b"\x1b[F")?;
                sent_at = Instant::now();
                last = c;
            }
            if started.elapsed() > Duration::from_secs(600) {
                bail!("loading {} posts took too long; screen:\n{s}", a.posts);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let load_secs = started.elapsed().as_secs_f64();
        t.wait_quiet(Duration::from_millis(500))?;
        // View `browse` posts, dwelling until each picture is drawn.
        for _ in 0..browse {
            let before = t.screen();
            t.send(b"k")?;
            t.wait_for("the next post", |s| s != before)?;
            t.wait_quiet(Duration::from_millis(120))?;
        }
        let posts = title_count(&t.screen()).map(|c| c.0).unwrap_or(0);
        let rss = status_kb(pid, "VmRSS:")?;
        let hwm = status_kb(pid, "VmHWM:")?;
        // One j at the end of a long list is still cheap.
        let (b0, w) = (t.with(|o| o.bytes), Instant::now());
        let before = t.screen();
        t.send(b"k")?;
        t.wait_for("the next post", |s| s != before)?;
        let k_ms = w.elapsed().as_secs_f64() * 1000.0;
        t.wait_quiet(Duration::from_millis(150))?;
        let k_bytes = t.with(|o| o.bytes) - b0;
        t.quit()?;
        let mb = |kb: u64| kb as f64 / 1024.0;
        let what = if browse > 0 {
            format!("previews on (halfblocks), {browse} pictures viewed")
        } else {
            "previews off".to_string()
        };
        println!(
            "RSS                with {posts} posts loaded, {what}: {:.1} MiB (peak {:.1} MiB; {:.1} MiB with the first page); \
             budget < 80 MB: {}",
            mb(rss),
            mb(hwm),
            mb(rss_start),
            verdict(rss as f64 * 1024.0 < 80e6)
        );
        println!(
            "                   (sandbox with {} extra posts built in {serve_secs:.1} s; all pages loaded in {load_secs:.1} s; \
             one k after that: {k_bytes} B, on screen after {k_ms:.1} ms)",
            a.posts
        );
        rt.block_on(run.shutdown());
        Ok(())
    }

    /// Side of the stress pictures, in pixels.
    const HUGE_SIDE: u32 = 8000;

    /// A smooth RGB test pattern (compresses well, so 8000 x 8000 stays
    /// under the 5 MiB upload limit); `seed` shifts the colours.
    fn pattern(x: u32, y: u32, seed: u32) -> [u16; 3] {
        let s = HUGE_SIDE;
        let r = (x * 65535 / s) as u16;
        let g = (y * 65535 / s) as u16;
        let b = (((x + y + seed * 997) % (2 * s)) * 32767 / s) as u16;
        [r, g, b]
    }

    /// The four kinds of stress picture, encoded once: baseline JPEG,
    /// progressive JPEG, 8-bit RGB PNG, 16-bit RGB PNG.
    fn huge_pictures() -> Result<Vec<(&'static str, Vec<u8>)>> {
        let side = HUGE_SIDE as usize;
        let mut rgb8 = vec![0u8; side * side * 3];
        for (i, px) in rgb8.chunks_exact_mut(3).enumerate() {
            let c = pattern((i % side) as u32, (i / side) as u32, 1);
            px.copy_from_slice(&c.map(|v| (v >> 8) as u8));
        }
        let jpeg = |progressive: bool| -> Result<Vec<u8>> {
            let mut out = Vec::new();
            let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
            e.set_progressive(progressive);
            e.encode(
                &rgb8,
                HUGE_SIDE as u16,
                HUGE_SIDE as u16,
                jpeg_encoder::ColorType::Rgb,
            )?;
            Ok(out)
        };
        let baseline = jpeg(false)?;
        let progressive = jpeg(true)?;
        drop(rgb8);
        let png = |sixteen: bool| -> Result<Vec<u8>> {
            let mut out = Vec::new();
            let mut e = png::Encoder::new(&mut out, HUGE_SIDE, HUGE_SIDE);
            e.set_color(png::ColorType::Rgb);
            e.set_depth(if sixteen {
                png::BitDepth::Sixteen
            } else {
                png::BitDepth::Eight
            });
            let mut header = e.write_header()?;
            let mut w = header.stream_writer()?;
            let mut row = Vec::with_capacity(side * 6);
            for y in 0..HUGE_SIDE {
                row.clear();
                for x in 0..HUGE_SIDE {
                    for v in pattern(x, y, 2) {
                        if sixteen {
                            row.extend(v.to_be_bytes());
                        } else {
                            row.push((v >> 8) as u8);
                        }
                    }
                }
                w.write_all(&row)?;
            }
            w.finish()?;
            header.finish()?;
            Ok(out)
        };
        let pics = vec![
            ("baseline JPEG", baseline),
            ("progressive JPEG", progressive),
            ("8-bit PNG", png(false)?),
            ("16-bit PNG", png(true)?),
        ];
        for (kind, bytes) in &pics {
            if bytes.len() > 5 * 1024 * 1024 {
                bail!(
                    "the {kind} stress picture is {} bytes, over the upload limit",
                    bytes.len()
                );
            }
        }
        Ok(pics)
    }

    /// Scrolls through posts with 8000 x 8000 pictures at 10 keys a second
    /// and prints the peak RSS and the RSS 10 s after the last key.
    fn stress_images(a: &Args, rt: &tokio::runtime::Runtime) -> Result<()> {
        const POSTS: usize = 25;
        let made = Instant::now();
        let pics = huge_pictures()?;
        let sizes: Vec<String> = pics
            .iter()
            .map(|(k, b)| format!("{k} {:.1} MB", b.len() as f64 / 1e6))
            .collect();
        println!(
            "stress pictures    {HUGE_SIDE} x {HUGE_SIDE}: {} (made in {:.1} s)",
            sizes.join(", "),
            made.elapsed().as_secs_f64()
        );
        let run = rt.block_on(async {
            let run = spawn(
                SandboxOptions {
                    seed: Seed::Demo,
                    ..SandboxOptions::default()
                },
                "127.0.0.1:0".parse()?,
            )
            .await?;
            let now = chrono::Utc::now();
            for i in 0..POSTS {
                let (kind, bytes) = &pics[i % pics.len()];
                let caption = format!("Stress picture #{i}: {kind}, {HUGE_SIDE} x {HUGE_SIDE}");
                run.sandbox.insert_post(
                    "pixel-poet",
                    Some(&caption),
                    &["stress"],
                    now - chrono::Duration::seconds(i as i64),
                    Some(bytes),
                )?;
            }
            anyhow::Ok(run)
        })?;
        drop(pics);
        let mut t = Term::spawn(
            &a.bin,
            &["--refresh", "0", "--image-protocol", "halfblocks"],
            &external_env(&run, 2000),
        )?;
        t.wait_for("feed rows", |s| {
            selected_row(s).is_some() && s.contains("Stress picture #0")
        })?;
        let pid = t.pid()?;
        let rss_start = status_kb(pid, "VmRSS:")?;
        let started = Instant::now();
        let mut peak_seen = 0u64;
        for i in 1..=POSTS {
            t.send(b"j")?;
            let due = started + Duration::from_millis(100 * i as u64);
            while Instant::now() < due {
                peak_seen = peak_seen.max(status_kb(pid, "VmRSS:")?);
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let stopped = Instant::now();
        let mut rss_after = Vec::new();
        while stopped.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(250));
            rss_after.push(status_kb(pid, "VmRSS:")?);
        }
        let hwm = status_kb(pid, "VmHWM:")?;
        let rss_10s = rss_after.last().copied().unwrap_or(0);
        let screen = t.screen();
        // Then each picture viewed until it is drawn (or refused): every
        // decode runs to its end.
        t.send(b"\x1b[H")?;
        let dwell_started = Instant::now();
        let mut too_large = 0;
        for i in 0..POSTS {
            let want = format!("Stress picture #{i}:");
            t.wait_for("the next stress post", |s| {
                s.lines().any(|l| l.contains("│> @") && l.contains(&want))
            })?;
            // The spinner draws every 100 ms while the picture loads.
            t.wait_quiet(Duration::from_millis(400))?;
            if t.screen().contains("too large") {
                too_large += 1;
            }
            t.send(b"j")?;
        }
        let dwell_secs = dwell_started.elapsed().as_secs_f64();
        let dwell_hwm = status_kb(pid, "VmHWM:")?;
        std::thread::sleep(Duration::from_secs(10));
        let dwell_rss = status_kb(pid, "VmRSS:")?;
        t.quit()?;
        rt.block_on(run.shutdown());
        let mb = |kb: u64| kb as f64 * 1024.0 / 1e6;
        println!(
            "huge pictures      {POSTS} posts, j 10 times a second: peak RSS (VmHWM) {:.1} MB \
             (sampled peak {:.1} MB; {:.1} MB before the first key); budget < 200 MB: {}",
            mb(hwm),
            mb(peak_seen),
            mb(rss_start),
            verdict(mb(hwm) < 200.0)
        );
        println!(
            "                   RSS 10 s after the last key: {:.1} MB; budget < 80 MB: {}",
            mb(rss_10s),
            verdict(mb(rss_10s) < 80.0)
        );
        let last = screen
            .lines()
            .find(|l| l.contains("│> @"))
            .unwrap_or("")
            .trim()
            .to_string();
        println!("                   (selected at the end: {last})");
        println!(
            "huge pictures      then each viewed until drawn ({dwell_secs:.1} s; {too_large} shown as too large): \
             peak RSS {:.1} MB; budget < 200 MB: {}; RSS 10 s later {:.1} MB; budget < 80 MB: {}",
            mb(dwell_hwm),
            verdict(mb(dwell_hwm) < 200.0),
            mb(dwell_rss),
            verdict(mb(dwell_rss) < 80.0)
        );
        Ok(())
    }

    pub fn main() -> Result<()> {
        let a = args()?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let want = |k: &str| a.only.is_empty() || a.only.iter().any(|o| o == k);
        println!("aispace-tui performance, binary {}", a.bin.display());
        if want("first") {
            first_frame(&a)?;
        }
        if want("first-cached") {
            first_cached(&a, &rt)?;
        }
        if want("bytes") {
            bytes_per_j(&a)?;
        }
        if want("idle") {
            idle_cpu(&a, &rt)?;
        }
        if want("rss") {
            rss(&a, &rt, 0)?;
        }
        if want("rss-previews") {
            rss(&a, &rt, a.browse)?;
        }
        if a.only.iter().any(|o| o == "stress-images") {
            stress_images(&a, &rt)?;
        }
        Ok(())
    }
}
