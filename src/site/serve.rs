//! `vouch serve`: build the site into a temporary folder, serve it on
//! 127.0.0.1, rebuild when `data/`, `answers/`, `site/` or `themes/` change,
//! and reload the open pages.
//!
//! Live reload needs no WebSocket and no `connect-src`: every HTML page gets
//! one external script, `/__vouch/livereload.js` (so the theme's
//! Content-Security-Policy `script-src 'self'` holds), which long-polls by
//! loading `/__vouch/wait.js?v=N` as a script. The server answers that
//! request when the build version moves past N (or after a while), with a
//! call that reloads the page, or shows the build error over it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::build::{self, BuildOptions};

/// How long a reload poll is held open before it is answered anyway.
const POLL_HOLD: Duration = Duration::from_secs(20);
/// Changes closer together than this make one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// The folders whose changes trigger a rebuild.
const WATCHED: [&str; 4] = ["data", "answers", "site", "themes"];

const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// What `vouch serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub project: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
    pub build_date: chrono::NaiveDate,
}

/// Set by SIGINT/SIGTERM: the server stops at its next look.
static STOP: AtomicBool = AtomicBool::new(false);

/// The latest build: its version (every build attempt counts) and its error.
struct State {
    site: PathBuf,
    status: Mutex<Status>,
    changed: Condvar,
}

#[derive(Clone)]
struct Status {
    version: u64,
    error: Option<String>,
    /// Whether a build ever succeeded (there are pages to serve).
    built: bool,
}

/// Runs the server until Ctrl-C. The temporary build folder is removed on
/// the way out.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", opts.port)).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on 127.0.0.1:{}: {e} (choose another port with --port)",
            opts.port
        )
    })?;
    let port = listener.local_addr()?.port();
    let url = format!("http://127.0.0.1:{port}");
    let tmp = tempfile::Builder::new()
        .prefix("vouch-serve-")
        .tempdir()
        .context("cannot create a temporary folder for the preview")?;
    let state = Arc::new(State {
        site: tmp.path().join("site"),
        status: Mutex::new(Status {
            version: 0,
            error: None,
            built: false,
        }),
        changed: Condvar::new(),
    });
    install_signal_handlers();
    let builder = Builder {
        opts: opts.clone(),
        base_url: url.clone(),
        state: state.clone(),
    };
    builder.rebuild("initial build");
    let _watcher = builder.watch()?;
    if !opts.quiet {
        eprintln!("serving {url}/ (watching data/, answers/, site/, themes/; Ctrl-C to stop)");
    }
    if opts.open {
        open_browser(&format!("{url}/"));
    }
    listener.set_nonblocking(true)?;
    while !STOP.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let state = state.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &state);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    if !opts.quiet {
        eprintln!("stopped");
    }
    drop(tmp);
    Ok(())
}

struct Builder {
    opts: ServeOptions,
    base_url: String,
    state: Arc<State>,
}

impl Builder {
    /// Builds into the served folder and publishes the outcome to pollers.
    fn rebuild(&self, why: &str) {
        let started = Instant::now();
        let mut options = BuildOptions::new(&self.opts.project, &self.state.site);
        options.base_url = Some(self.base_url.clone());
        options.build_date = self.opts.build_date;
        let outcome = build::build(&options);
        let mut status = self.state.status.lock().unwrap_or_else(|e| e.into_inner());
        status.version += 1;
        match outcome {
            Ok(report) => {
                status.error = None;
                status.built = true;
                if !self.opts.quiet {
                    eprintln!(
                        "{why}: built {} pages in {} ms",
                        report.pages + report.sections,
                        started.elapsed().as_millis()
                    );
                }
            }
            Err(e) => {
                let message = format!("{e:#}");
                anstream::eprintln!(
                    "{}: {}error{}: {message}",
                    why,
                    anstyle::AnsiColor::Red.on_default().bold().render(),
                    anstyle::Reset.render()
                );
                status.error = Some(message);
            }
        }
        drop(status);
        self.state.changed.notify_all();
    }

    /// Watches the project's input folders; rebuilds on a change.
    fn watch(self) -> Result<notify::RecommendedWatcher> {
        use notify::{RecursiveMode, Watcher};
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .context("cannot watch the project for changes")?;
        for dir in WATCHED {
            let path = self.opts.project.join(dir);
            if path.is_dir() {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", path.display()))?;
            }
        }
        std::thread::spawn(move || loop {
            let first = match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(event) => event,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                Err(_) => return,
            };
            let mut changed = changed_path(&first, &self.opts.project);
            // Gather the rest of a burst (an editor's save is several events).
            while let Ok(event) = rx.recv_timeout(DEBOUNCE) {
                changed = changed_path(&event, &self.opts.project).or(changed);
            }
            if let Some(path) = changed {
                self.rebuild(&path);
            }
        });
        Ok(watcher)
    }
}

/// The project-relative path of a change worth a rebuild (reads are not).
fn changed_path(event: &notify::Result<notify::Event>, project: &Path) -> Option<String> {
    use notify::EventKind;
    let event = event.as_ref().ok()?;
    if !matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    ) {
        return None;
    }
    let path = event.paths.first()?;
    let root = project
        .canonicalize()
        .unwrap_or_else(|_| project.to_path_buf());
    let shown = path
        .strip_prefix(&root)
        .or_else(|_| path.strip_prefix(project))
        .unwrap_or(path);
    Some(shown.display().to_string())
}

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    #[cfg(unix)]
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("cannot start {program}: open {url} in your browser");
    }
}

/// Answers one HTTP request (GET or HEAD; one request per connection).
fn handle(stream: TcpStream, state: &State) -> Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    // Skip the headers.
    let mut line = String::new();
    loop {
        line.clear();
        if reader.by_ref().take(8192).read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let response = match method {
        "GET" | "HEAD" => route(path, query, state),
        _ => Response::text(405, "text/plain", "only GET and HEAD"),
    };
    response.send(stream, method == "HEAD")
}

fn route(path: &str, query: &str, state: &State) -> Response {
    match path {
        "/__vouch/livereload.js" => Response::text(200, "text/javascript", LIVERELOAD_JS),
        "/__vouch/wait.js" => wait(query, state),
        _ => serve_file(path, state),
    }
}

/// The long poll: answers once the version differs from `v` (at once with
/// `now=1`), or after [`POLL_HOLD`].
fn wait(query: &str, state: &State) -> Response {
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let seen: Option<u64> = param("v").and_then(|v| v.parse().ok());
    let now = param("now") == Some("1");
    let guard = state.status.lock().unwrap_or_else(|e| e.into_inner());
    let (status, _) = state
        .changed
        .wait_timeout_while(guard, if now { Duration::ZERO } else { POLL_HOLD }, |s| {
            Some(s.version) == seen && !STOP.load(Ordering::SeqCst)
        })
        .unwrap_or_else(|e| e.into_inner());
    let error = serde_json::to_string(&status.error).unwrap_or_else(|_| "null".into());
    let body = format!(
        "window.__vouchLivereload && window.__vouchLivereload({}, {error});\n",
        status.version
    );
    Response::text(200, "text/javascript", &body)
}

fn serve_file(path: &str, state: &State) -> Response {
    let status = state
        .status
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if !status.built {
        let message = status.error.as_deref().unwrap_or("building…");
        return Response::html(503, error_page(message, status.version));
    }
    let Some(rel) = safe_relative(path) else {
        return Response::text(400, "text/plain", "bad path");
    };
    let mut file = state.site.join(&rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            return Response::redirect(&format!("{path}/"));
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => Response::file(200, &file, bytes, status.version),
        Err(_) => match std::fs::read(state.site.join("404.html")) {
            Ok(bytes) => Response::file(404, Path::new("404.html"), bytes, status.version),
            Err(_) => Response::text(404, "text/plain", "not found"),
        },
    }
}

/// The URL path as a relative file path: percent-decoded, no `..`.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path.trim_start_matches('/'))?;
    let rel = PathBuf::from(decoded);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then_some(rel)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The page shown while no build has succeeded yet.
fn error_page(message: &str, version: u64) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vouch serve: build error</title></head>\n<body><h1>The site could not be built</h1>\n<pre id=\"vouch-build-error\">{}</pre>\n<p>Fix the problem and save: this page reloads by itself.</p>\n<script src=\"/__vouch/livereload.js?v={version}\"></script>\n</body></html>\n",
        escape_html(message)
    )
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn text(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            status,
            content_type: format!("{content_type}; charset=utf-8"),
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }

    fn html(status: u16, body: String) -> Response {
        Response::text(status, "text/html", &body)
    }

    fn redirect(to: &str) -> Response {
        Response {
            location: Some(to.to_string()),
            ..Response::text(301, "text/plain", "moved")
        }
    }

    /// A built file; HTML pages get the live-reload script.
    fn file(status: u16, path: &Path, bytes: Vec<u8>, version: u64) -> Response {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let content_type = content_type(ext);
        if ext == "html" || ext == "htm" {
            let html = String::from_utf8_lossy(&bytes);
            return Response::html(status, inject_script(&html, version));
        }
        Response {
            status,
            content_type: content_type.to_string(),
            body: bytes,
            location: None,
        }
    }

    fn send(self, mut stream: TcpStream, head_only: bool) -> Result<()> {
        let reason = match self.status {
            200 => "OK",
            301 => "Moved Permanently",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Service Unavailable",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()?;
        Ok(())
    }
}

/// Adds the external live-reload script before `</body>` (or at the end).
fn inject_script(html: &str, version: u64) -> String {
    let tag = format!("<script src=\"/__vouch/livereload.js?v={version}\"></script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}\n"),
    }
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(
            safe_relative("/a%20b/c.html"),
            Some(PathBuf::from("a b/c.html"))
        );
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/%2e%2e/x"), None);
        assert_eq!(safe_relative("/%zz"), None);
    }

    #[test]
    fn the_script_is_external_and_before_body_end() {
        let html = inject_script("<html><body><p>x</p></body></html>", 3);
        assert!(html.contains("<script src=\"/__vouch/livereload.js?v=3\"></script>\n</body>"));
        assert!(!LIVERELOAD_JS.contains("<script"));
    }
}
