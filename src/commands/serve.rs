//! `tsunagu serve`: a development server on 127.0.0.1 that rebuilds on any
//! change to content/, data/, templates/ or the config and reloads open
//! pages. A bad edit shows its errors in the browser; the server keeps
//! running and recovers on the next good edit.
//!
//! Changes are found by polling a hash of the input files, which needs no platform watcher
//! and is cheap for a project of this size; every change is a full rebuild
//! (partial rebuilds are where dev servers grow subtle bugs).

use crate::pipeline::{FlyerCache, RenderOptions};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tiny_http::{Header, Response, Server};

/// Path the live-reload script polls for the build generation.
pub const VERSION_PATH: &str = "/__tsunagu/version";

struct State {
    files: HashMap<String, Vec<u8>>,
    error: Option<String>,
    version: u64,
}

/// Serves the project at `root` on `127.0.0.1:port` (0 picks a free port)
/// until the process is stopped.
pub fn serve(root: &Path, port: u16) -> io::Result<()> {
    let server = Server::http(("127.0.0.1", port)).map_err(io::Error::other)?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let base_url = format!("http://127.0.0.1:{port}/");
    let state = Arc::new(RwLock::new(State {
        files: HashMap::new(),
        error: None,
        version: 0,
    }));
    say(&format!(
        "Serving {} at {base_url} (Ctrl-C to stop)",
        root.display()
    ));
    // Taken before the first build, so an edit made at any moment after it
    // (even before the watcher thread first runs) triggers a rebuild.
    let mut last = crate::load::fingerprint(root, crate::load::Look::Contents);
    // Flyers take most of a rebuild; only those whose data changed are
    // compiled again.
    let mut flyers = FlyerCache::default();
    rebuild(root, &base_url, &state, &mut flyers);

    let watcher_state = Arc::clone(&state);
    let watch_root = root.to_path_buf();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let now = crate::load::fingerprint(&watch_root, crate::load::Look::Contents);
            if now != last {
                last = now;
                rebuild(&watch_root, &base_url, &watcher_state, &mut flyers);
            }
        }
    });

    for request in server.incoming_requests() {
        let url = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_string();
        let response = respond(&state, &url);
        let _ = request.respond(response);
    }
    Ok(())
}

/// Prints a status line; a closed terminal must not stop the server.
fn say(line: &str) {
    let mut out = io::stdout();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn rebuild(root: &Path, base_url: &str, state: &RwLock<State>, flyers: &mut FlyerCache) {
    let started = std::time::Instant::now();
    let result = crate::pipeline::load_site(root, Some(base_url)).and_then(|site| {
        let options = RenderOptions {
            live_reload: true,
            flyers: Some(flyers),
            ..RenderOptions::default()
        };
        let output = crate::pipeline::render(&site, options)?;
        Ok((output.page_count(), crate::write::files(&output)?))
    });
    let Ok(mut s) = state.write() else { return };
    s.version += 1;
    match result {
        Ok((pages, files)) => {
            s.files = files.into_iter().collect();
            s.error = None;
            say(&format!(
                "rebuilt {pages} pages in {:.2} s",
                started.elapsed().as_secs_f64()
            ));
        }
        Err(diags) => {
            let text: String = diags
                .sorted()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            let _ = writeln!(io::stderr(), "{text}");
            s.error = Some(text);
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).unwrap_or_else(|()| unreachable!())
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// Path of the live-reload script that served pages (and the error page) load.
const RELOAD_PATH: &str = "/__tsunagu/reload.js";

/// Polls the build generation and reloads the page when it changes.
const RELOAD_SCRIPT: &str = "(()=>{let v=null;setInterval(async()=>{try{const r=await fetch('/__tsunagu/version',{cache:'no-store'});const t=await r.text();if(v!==null&&t!==v)location.reload();v=t}catch(e){}},500)})();";

fn respond(state: &RwLock<State>, url: &str) -> Response<io::Cursor<Vec<u8>>> {
    let Ok(s) = state.read() else {
        return Response::from_string("server state unavailable").with_status_code(500);
    };
    if url == RELOAD_PATH {
        return Response::from_string(RELOAD_SCRIPT)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
    }
    if url == VERSION_PATH {
        return Response::from_string(s.version.to_string())
            .with_header(header("Content-Type", "text/plain"))
            .with_header(header("Cache-Control", "no-store"));
    }
    let mut path = percent_decode(url.trim_start_matches('/'));
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    if let Some(err) = &s.error
        && path.ends_with(".html")
    {
        // Text in <pre> needs only &, < and > escaped; render::escape::html
        // would add &quot; and change the page.
        let escaped = err
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tsunagu: build error</title></head><body><main><h1>Build failed</h1><p>Fix the problems below; this page reloads when the build succeeds.</p><pre>{escaped}</pre></main><script src=\"{RELOAD_PATH}\"></script></body></html>"
        );
        return Response::from_string(page)
            .with_status_code(500)
            .with_header(header("Content-Type", "text/html; charset=utf-8"));
    }
    let found = s.files.get(&path).map(|b| (path.clone(), b)).or_else(|| {
        let dir = format!("{path}/index.html");
        s.files.get(&dir).map(|b| (dir, b))
    });
    match found {
        Some((p, bytes)) => Response::from_data(bytes.clone())
            .with_header(header("Content-Type", content_type(&p)))
            .with_header(header("Cache-Control", "no-store")),
        None => Response::from_data(s.files.get("404.html").cloned().unwrap_or_default())
            .with_status_code(404)
            .with_header(header("Content-Type", "text/html; charset=utf-8")),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
