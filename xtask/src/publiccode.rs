//! `publiccode.yml` kept true to the product: its version, licence, languages, platforms and IO integration
//! are checked against the code they describe.

#[cfg(test)]
mod tests {
    use crate::root;
    use serde_yaml::Value as Yaml;

    fn publiccode() -> Yaml {
        let text = std::fs::read_to_string(root().join("publiccode.yml")).expect("publiccode.yml");
        serde_yaml::from_str(&text).expect("valid YAML")
    }

    fn strings(list: &Yaml) -> Vec<String> {
        list.as_sequence()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().expect("a string").to_owned())
            .collect()
    }

    #[test]
    fn version_licence_languages_and_platforms_match_the_product() {
        let p = publiccode();
        let tauri: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
        assert_eq!(
            p["softwareVersion"].as_str(),
            tauri["version"].as_str(),
            "the app's version"
        );
        assert_eq!(p["name"].as_str(), tauri["productName"].as_str());

        let cargo = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let licence = format!("license = \"{}\"", p["legal"]["license"].as_str().unwrap());
        assert!(cargo.contains(&licence), "the workspace's licence is {licence}");

        let mut catalogues: Vec<String> = std::fs::read_dir(root().join("ui/locales"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".ftl").map(str::to_owned))
            .collect();
        catalogues.sort();
        let mut languages = strings(&p["localisation"]["availableLanguages"]);
        languages.sort();
        assert_eq!(languages, catalogues, "one language per UI catalogue");

        // One platform per OS configuration the bundle has.
        let mut platforms = strings(&p["platforms"]);
        platforms.sort();
        let mut configured: Vec<String> = [("linux", "linux"), ("macos", "mac"), ("windows", "windows")]
            .iter()
            .filter(|(os, _)| root().join(format!("tauri.{os}.conf.json")).is_file())
            .map(|(_, platform)| (*platform).to_owned())
            .collect();
        configured.sort();
        assert_eq!(platforms, configured);

        assert_eq!(
            p["IT"]["piattaforme"]["io"].as_bool(),
            Some(true),
            "FirmaDesk talks to IO"
        );
        assert_eq!(p["softwareType"].as_str(), Some("standalone/desktop"));
    }

    #[test]
    fn descriptions_keep_the_standards_lengths_in_both_languages() {
        let p = publiccode();
        for lang in ["it", "en"] {
            let d = &p["description"][lang];
            let short = d["shortDescription"]
                .as_str()
                .unwrap_or_else(|| panic!("{lang}: shortDescription"));
            let long = d["longDescription"]
                .as_str()
                .unwrap_or_else(|| panic!("{lang}: longDescription"));
            assert!(
                short.chars().count() <= 150,
                "{lang}: short description over 150 characters"
            );
            let long_len = long.chars().count();
            assert!(
                (150..=10_000).contains(&long_len),
                "{lang}: long description of {long_len} characters"
            );
            assert!(!strings(&d["features"]).is_empty(), "{lang}: features");
        }
    }
}
