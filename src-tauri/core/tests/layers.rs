//! The core's modules import downward only: a module may use its own
//! children and the layers below it, never a layer above or a sibling of its
//! own layer. This test reads every source file of the crate and checks each
//! `crate::…` path its code names against the table below, which is the
//! layering ARCHITECTURE.md describes.

use std::path::{Path, PathBuf};

/// Each top-level module and its layer, bottom first.
const LAYERS: &[(&str, u8)] = &[
    // The closed sets and their words; what an error is about.
    ("vocab", 0),
    ("detail", 1),
    ("normalize", 1),
    ("clock", 1),
    // Writing a file whole or not at all.
    ("atomic", 1),
    // Dates, deadlines, records and their rules.
    ("calendar", 2),
    ("deadline", 3),
    ("model", 4),
    // The exchange file's format, limits and errors (the store applies it).
    ("exchange", 4),
    // The register: all SQL.
    ("store", 5),
    // What is built on the register.
    ("report", 6),
    ("demo", 6),
    ("sheet", 6),
    ("export", 6),
    ("remind", 6),
    // Every error code, above every module whose errors it lists.
    ("catalog", 7),
];

/// What the crate root re-exports, and the module it comes from.
const ROOT_ITEMS: &[(&str, &str)] = &[("Store", "store"), ("StoreError", "store")];

/// The module a name after `crate::` belongs to.
fn resolve(name: &str) -> &str {
    ROOT_ITEMS.iter().find(|(item, _)| *item == name).map_or(name, |(_, m)| m)
}

fn layer(module: &str) -> u8 {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| panic!("module {module} has no layer: add it to LAYERS and to ARCHITECTURE.md"))
        .1
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // The command line is a front end, above the library.
            if path.file_name().is_some_and(|n| n != "bin") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to: `store/clauses.rs` →
/// `store`; `None` for the crate root.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.trim_end_matches(".rs").to_owned();
    (first != "lib").then_some(first)
}

#[test]
fn modules_import_downward_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else { continue };
        let own = layer(&module);
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            // Code only: a doc link may point anywhere.
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let word = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
                // `crate::{a, b::c}` names several modules (on this line).
                let names: Vec<String> = match rest.strip_prefix('{') {
                    Some(group) => group.split(',').map(|part| word(part.trim())).collect(),
                    None => vec![word(rest)],
                };
                for name in names.into_iter().filter(|n| !n.is_empty()) {
                    checked += 1;
                    let target = resolve(&name);
                    if target != module && layer(target) >= own {
                        wrong.push(format!(
                            "{}:{}: {module} (layer {own}) uses {target} (layer {})",
                            file.display(),
                            n + 1,
                            layer(target)
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} paths found: is the scan reading the sources?");
    assert!(wrong.is_empty(), "upward or sideways imports:\n{}", wrong.join("\n"));
}
