//! Build script: Tauri's code generation, with capabilities kept in
//! src-tauri/capabilities (watched there, so unrelated changes do not rebuild
//! the app).

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes).expect("tauri build script");
}
