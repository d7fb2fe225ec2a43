//! `tsunagu serve`: rebuilds and reloads after an edit, and survives a bad one.

use crate::common::{edit, minimal_fixture as project, tsunagu};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn wait_for_version_change(port: u16, from: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, v) = http_get(port, "/__tsunagu/version");
        if v != from {
            return v;
        }
        assert!(Instant::now() < deadline, "serve did not notice the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_rebuilds_and_reloads_after_an_edit_and_survives_a_bad_one() {
    let p = project();
    let mut child = tsunagu(p.path())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("serve prints its address");
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|s| {
            s.trim_end()
                .trim_end_matches('/')
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .map(String::from)
        })
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));

    let (status, body) = http_get(port, "/en/about/");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("About this site") && body.contains("/__tsunagu/reload.js"),
        "page with the reload script"
    );
    let (status, script) = http_get(port, "/__tsunagu/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("location.reload"));
    let (_, v1) = http_get(port, "/__tsunagu/version");

    edit(
        &p.path().join("content/about.en.md"),
        "title = \"About this site\"",
        "title = \"About tsunagu\"",
    );
    let v2 = wait_for_version_change(port, &v1);
    let (_, body) = http_get(port, "/en/about/");
    assert!(
        body.contains("About tsunagu"),
        "edited page served after rebuild"
    );

    edit(
        &p.path().join("content/about.en.md"),
        "weight = 1",
        "wieght = 1",
    );
    let v3 = wait_for_version_change(port, &v2);
    let (status, body) = http_get(port, "/en/about/");
    assert_eq!(status, 500);
    assert!(
        body.contains("unknown field") && body.contains("content/about.en.md:6:1"),
        "error shown in the browser:\n{body}"
    );

    edit(
        &p.path().join("content/about.en.md"),
        "wieght = 1",
        "weight = 1",
    );
    wait_for_version_change(port, &v3);
    let (status, _) = http_get(port, "/en/about/");
    assert_eq!(status, 200, "server recovered after the fix");
    drop(server);
}
