//! `quire render`: placeholder until the typesetting stages land (the lead replaces this file).

use super::args::RenderArgs;

/// Render an issue to PDF; not available in this build.
pub fn run(_args: &RenderArgs) -> i32 {
    eprintln!("quire: render: not available in this build");
    2
}
