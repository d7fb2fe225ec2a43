//! The `tsunagu` command: runs a subcommand, prints every diagnostic, and
//! exits 1 on errors.

mod cli;

/// mimalloc: a build allocates and frees millions of small strings across
/// threads (page data, HTML); glibc malloc spent ~20 % of a national build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::{Cli, Command};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tsunagu::diag::Diagnostics;

fn main() -> ExitCode {
    // No transparent huge pages: mimalloc touches its arenas sparsely, and
    // under THP each first touch zeroes 2 MB (after compacting memory, on a
    // machine whose memory is fragmented). A one-record national rebuild
    // spent 5 of its 7 s doing that in the kernel. It only costs speed if
    // the call fails (not Linux 3.15+), so its result is not checked.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            out,
            base_url,
            force,
        } => {
            let options = tsunagu::pipeline::BuildOptions {
                base_url: base_url.as_deref(),
                force,
            };
            build(&cli.root, out, &options)
        }
        Command::Check { gaps, area } => check(&cli.root, gaps.as_deref(), area),
        Command::Init { dir, area } => match tsunagu::commands::init::run(&dir, &area) {
            Ok(made) => {
                println!("{made}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Import {
            kind,
            file,
            out,
            dry_run,
            source,
            as_of,
        } => {
            let kind = match kind {
                cli::ImportKind::Providers => tsunagu::commands::import::Kind::Providers,
                cli::ImportKind::Hubs => tsunagu::commands::import::Kind::Hubs,
                cli::ImportKind::Gaps => return import_gaps(&cli.root, &file),
                cli::ImportKind::Postcodes => {
                    let postcodes = tsunagu::commands::import::postcodes::run;
                    let run = match out {
                        Some(_) => Err(vec!["--out: postcodes are always written to data/postcodes/<prefecture code>.csv".to_string()]),
                        None => postcodes(&cli.root, &file, source.as_deref(), as_of.as_deref(), dry_run),
                    };
                    return imported(run);
                }
            };
            import(&cli.root, kind, &file, out.as_deref(), dry_run)
        }
        Command::BenchData {
            out,
            providers,
            geodata,
            postcodes,
        } => {
            let opts = tsunagu::commands::bench_data::Options {
                providers,
                geodata,
                postcodes,
                templates: cli.root.join("templates"),
            };
            bench_data(&out, &opts)
        }
        Command::Theme {
            command: cli::ThemeCommand::Eject { files, force },
        } => match tsunagu::commands::theme::eject(&cli.root, &files, force) {
            Ok(ejected) => {
                println!("{ejected}");
                ExitCode::SUCCESS
            }
            Err(d) => fail(d, "eject failed; nothing was written"),
        },
        Command::Serve { port } => match tsunagu::commands::serve::serve(&cli.root, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot serve: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn build(root: &Path, out: PathBuf, options: &tsunagu::pipeline::BuildOptions) -> ExitCode {
    let started = Instant::now();
    let out = if out.is_relative() {
        root.join(out)
    } else {
        out
    };
    match tsunagu::pipeline::build_with(root, &out, options) {
        Ok(tsunagu::pipeline::Built::UpToDate) => {
            println!(
                "{} is up to date ({:.2} s)",
                out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Ok(tsunagu::pipeline::Built::Written(w)) => {
            println!(
                "built {} pages ({} files, {:.1} MB; {} written, {} removed) in {:.2} s into {}",
                w.pages,
                w.files,
                w.bytes as f64 / 1_000_000.0,
                w.changed,
                w.removed,
                started.elapsed().as_secs_f64(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            use tsunagu::write::Left;
            let what = match e.left {
                Left::Refused => "build refused; nothing was written".to_string(),
                Left::AsItWas => {
                    "build failed; the output directory was left as it was".to_string()
                }
                Left::Changed(how) => {
                    format!("build failed; the output directory was changed: {how}")
                }
            };
            fail(e.diagnostics, &what)
        }
    }
}

fn check(root: &Path, gaps: Option<&Path>, area: Option<String>) -> ExitCode {
    let checked = tsunagu::pipeline::load_site(root, None).and_then(|site| {
        let report = {
            let output = tsunagu::pipeline::render(&site, Default::default())?;
            output.check_all()?;
            tsunagu::commands::check::report(
                &site,
                root,
                output.page_count(),
                tsunagu::model::today(),
            )
        };
        Ok((report, site))
    });
    match checked {
        Ok((report, site)) => {
            println!("{report}");
            let Some(path) = gaps else {
                return ExitCode::SUCCESS;
            };
            let area = area.map(tsunagu::model::AreaCode);
            match tsunagu::commands::gaps::write(&site, area.as_ref(), path) {
                Ok(w) => {
                    print!("wrote the gap workbook {}:\n{w}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    eprintln!("check --gaps failed; nothing was written");
                    ExitCode::FAILURE
                }
            }
        }
        Err(d) => fail(d, "check failed"),
    }
}

fn import_gaps(root: &Path, file: &Path) -> ExitCode {
    match tsunagu::commands::gaps::import(root, file) {
        Ok(filled) => {
            println!("{filled}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!(
                "import gaps failed: {} error{}; nothing was written",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

fn import(
    root: &Path,
    kind: tsunagu::commands::import::Kind,
    file: &Path,
    out: Option<&Path>,
    dry_run: bool,
) -> ExitCode {
    imported(tsunagu::commands::import::run(
        root, kind, file, out, dry_run,
    ))
}

/// Prints an import's outcome, or its errors.
fn imported<T: std::fmt::Display>(run: Result<T, Vec<String>>) -> ExitCode {
    match run {
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

fn bench_data(out: &Path, opts: &tsunagu::commands::bench_data::Options) -> ExitCode {
    match tsunagu::commands::bench_data::generate(out, opts) {
        Ok(s) => {
            println!(
                "wrote a SYNTHETIC project to {}: {} areas ({}), {} hubs, {} providers, {} council files, {} postcodes",
                out.display(),
                s.areas,
                if s.real_names {
                    "names and codes from N03"
                } else {
                    "invented names"
                },
                s.hubs,
                s.providers,
                s.councils,
                opts.postcodes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the synthetic project: {e}");
            ExitCode::FAILURE
        }
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
