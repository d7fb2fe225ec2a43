//! The `tsunagu` command: runs a subcommand, prints every diagnostic, and
//! exits 1 on errors.

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;
use std::time::Instant;
use tsunagu::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { out, base_url } => {
            let started = Instant::now();
            let out = if out.is_relative() {
                cli.root.join(out)
            } else {
                out
            };
            match tsunagu::build(&cli.root, &out, base_url.as_deref()) {
                Ok(w) => {
                    println!(
                        "built {} pages ({} files, {:.1} MB) in {:.2} s into {}",
                        w.pages,
                        w.files,
                        w.bytes as f64 / 1_000_000.0,
                        started.elapsed().as_secs_f64(),
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d, "build failed; the output directory was left as it was"),
            }
        }
        Command::Check => match tsunagu::compile(&cli.root, None, false) {
            Ok((site, output)) => {
                let report =
                    tsunagu::check::report(&site, output.pages.len(), tsunagu::check::today());
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(d) => fail(d, "check failed"),
        },
        Command::Import {
            kind,
            file,
            out,
            dry_run,
        } => {
            let kind = match kind {
                cli::ImportKind::Providers => tsunagu::import::Kind::Providers,
                cli::ImportKind::Hubs => tsunagu::import::Kind::Hubs,
            };
            match tsunagu::import::run(&cli.root, kind, &file, out.as_deref(), dry_run) {
                Ok(outcome) => {
                    println!("{outcome}");
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("error: {e}");
                    }
                    eprintln!(
                        "import failed: {} error{}; nothing was written",
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { port } => match tsunagu::serve::serve(&cli.root, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot serve: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn fail(diags: Diagnostics, what: &str) -> ExitCode {
    let all = diags.sorted();
    let errors = all.iter().filter(|d| d.is_error()).count();
    for d in &all {
        eprintln!("{d}");
    }
    eprintln!(
        "{what}: {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
