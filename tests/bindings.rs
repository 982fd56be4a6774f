//! The committed TypeScript bindings (ui/src/lib/bindings.ts) are exactly
//! what the Rust commands and types generate: drift fails here.
//! `make bindings` (UPDATE_BINDINGS=1) rewrites them.

#[test]
fn typescript_bindings_match_the_commands() {
    let generated = clausebook_app::bindings_typescript().expect("bindings generate");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(clausebook_app::BINDINGS_PATH);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the Rust commands: run `make bindings` and commit it",
        clausebook_app::BINDINGS_PATH
    );
    for command in ["clauseRows", "createClause", "partnerDashboard", "parseDate"] {
        assert!(generated.contains(command), "bindings lack {command}");
    }
}
