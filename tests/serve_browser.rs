//! `vouch serve` with a real browser: headless Chromium opens the controls
//! page, the test edits `data/controls.csv`, and the open page reloads by
//! itself and shows the change. The page is driven through the Chrome
//! DevTools Protocol over a minimal WebSocket client (std only).
//!
//! Without /usr/bin/chromium the test fails when CI is set, else skips.
#![cfg(unix)]

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium_available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{CHROMIUM} is required on CI (apt-get install chromium)");
    }
    eprintln!("skipped: {CHROMIUM} not found (apt-get install chromium)");
    false
}

/// Kills the child when dropped, so a failing test leaves no process.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads lines from `reader` until one contains `marker`; returns it.
fn wait_for_line(reader: &mut impl BufRead, marker: &str, what: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).unwrap();
        assert!(n > 0, "{what} ended before printing {marker:?}");
        if line.contains(marker) {
            return line;
        }
    }
}

/// A WebSocket connection speaking the DevTools protocol.
struct Devtools {
    stream: TcpStream,
    next_id: u64,
}

impl Devtools {
    fn connect(ws_url: &str) -> Devtools {
        let rest = ws_url.strip_prefix("ws://").expect("ws:// URL");
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let mut stream = TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 101"), "no WebSocket: {head}");
        Devtools { stream, next_id: 1 }
    }

    fn send_text(&mut self, text: &str) {
        let payload = text.as_bytes();
        let mut frame = vec![0x81u8];
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).unwrap();
    }

    /// One whole text message (continuation frames joined).
    fn read_message(&mut self) -> String {
        let mut message = Vec::new();
        loop {
            let mut head = [0u8; 2];
            self.stream.read_exact(&mut head).unwrap();
            let fin = head[0] & 0x80 != 0;
            let mut len = u64::from(head[1] & 0x7f);
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from_be_bytes(b);
            }
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload).unwrap();
            message.extend_from_slice(&payload);
            if fin {
                return String::from_utf8_lossy(&message).into_owned();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page; its JSON value.
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        let request = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true },
        });
        self.send_text(&request.to_string());
        loop {
            let reply: serde_json::Value = serde_json::from_str(&self.read_message()).unwrap();
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    /// Evaluates `expression` until it is `true`, for at most `limit`.
    fn wait_until(&mut self, expression: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.eval(expression) == serde_json::Value::Bool(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

/// The DevTools WebSocket URL of the first page target of the browser.
fn page_target(devtools_port: &str) -> String {
    let stream = TcpStream::connect(format!("127.0.0.1:{devtools_port}")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        &stream,
        // Chromium builds the WebSocket URLs from the Host header.
        "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{devtools_port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // The DevTools server keeps the connection open: read Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    let targets: serde_json::Value = serde_json::from_slice(&body).unwrap();
    targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page")
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .expect("a page target")
        .to_string()
}

#[test]
fn editing_controls_csv_reloads_the_open_page() {
    if !chromium_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    assert!(util::run_in(tmp.path(), &["-q", "init", "acme"])
        .status
        .success());
    let dir = tmp.path().join("acme");

    let mut serve = Guard(
        util::vouch()
            .current_dir(&dir)
            .args(["serve", "--port", "0"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut serve_err = BufReader::new(serve.0.stderr.take().unwrap());
    let line = wait_for_line(&mut serve_err, "serving http://127.0.0.1:", "vouch serve");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    // Keep reading the server's messages so it never blocks on a full pipe.
    let server_log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let log = server_log.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while serve_err.read_line(&mut line).unwrap_or(0) > 0 {
            log.lock().unwrap().push_str(&line);
            line.clear();
        }
    });

    let profile = tempfile::tempdir().unwrap();
    let mut browser = Guard(
        Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("{url}/controls/"))
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("cannot start chromium"),
    );
    let mut browser_err = BufReader::new(browser.0.stderr.take().unwrap());
    let line = wait_for_line(&mut browser_err, "DevTools listening on ws://", "chromium");
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    std::thread::spawn(move || {
        let mut sink = String::new();
        while browser_err.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });

    let mut page = Devtools::connect(&page_target(&port));
    let loaded = page.wait_until(
        "document.readyState === 'complete' && document.body.textContent.includes('Quarterly access reviews')",
        Duration::from_secs(30),
    );
    assert!(
        loaded,
        "the controls page never loaded: {}; server: {}",
        page.eval("location.href + ' ' + document.readyState + ' ' + document.title"),
        server_log.lock().unwrap()
    );
    assert!(
        page.wait_until(
            "document.readyState === 'complete' && document.body.textContent.includes('Quarterly access reviews')",
            Duration::from_secs(30),
        ),
        "the controls page never loaded; server: {}",
        server_log.lock().unwrap()
    );
    // The live-reload client is an external script, so the CSP holds.
    assert_eq!(
        page.eval("!!document.querySelector('script[src^=\"/__vouch/livereload.js\"]')"),
        serde_json::Value::Bool(true)
    );
    // A mark that only survives if the page is NOT reloaded.
    page.eval("window.__vouchTestMark = 42; true");
    std::thread::sleep(Duration::from_millis(300));

    let csv = dir.join("data/controls.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(
        &csv,
        text.replace("Quarterly access reviews", "Monthly access reviews zebra"),
    )
    .unwrap();

    let reloaded = page.wait_until(
        "window.__vouchTestMark === undefined && document.readyState === 'complete' && document.body.textContent.includes('Monthly access reviews zebra')",
        Duration::from_secs(30),
    );
    assert!(
        reloaded,
        "the page did not reload with the change; server: {}",
        server_log.lock().unwrap()
    );

    // A broken edit shows the build error in the page, without a reload.
    page.eval("window.__vouchTestMark = 7; true");
    std::fs::write(&csv, text.replace("CC6.4,", "CC6.9,")).unwrap();
    assert!(
        page.wait_until(
            "window.__vouchTestMark === 7 && !!document.getElementById('vouch-build-error') && document.getElementById('vouch-build-error').textContent.includes('CC6.9')",
            Duration::from_secs(30),
        ),
        "no error shown; server: {}",
        server_log.lock().unwrap()
    );
    // The terminal shows it too (the log reader may lag the page a little).
    let start = Instant::now();
    while !server_log.lock().unwrap().contains("CC6.9") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the terminal shows no error: {}",
            server_log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // Ctrl-C stops the server cleanly.
    drop(browser);
    unsafe {
        libc::kill(serve.0.id() as i32, libc::SIGINT);
    }
    let start = Instant::now();
    let status = loop {
        if let Some(status) = serve.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "serve exit status {status}");
}
