"""Named settings presets (TOML), shipped as the ragkit.configs package."""
