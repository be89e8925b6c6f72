//! netassist: a desktop network debugging assistant (网络调试助手).
//!
//! A short tour, from the wire up:
//!
//! - [`ids`]: `ConnId`, `JobId` and `Direction`, the words every layer shares.
//! - [`engine`]: a tokio runtime on the "netassist-engine" thread. The UI
//!   sends it commands and drains its events over bounded channels; raw
//!   bytes cross, never text. No egui here.
//! - [`codec`]: pure functions: charsets (strict encode, streaming decode
//!   that keeps split multi-byte characters whole), hex, escapes, checksums
//!   and variables in what is sent (`${seq}`, `${rand:0:255}`, …).
//! - [`view`]: the receive view's model: a bounded ring of records, decoded
//!   per stream, cut into display lines so rendering is virtual. No egui.
//! - [`capture`]: lossless capture files: every byte sent and received,
//!   written by a thread of its own that the engine feeds; a reader that
//!   reports truncation and corruption; a loader into the receive view. No egui.
//! - [`model`]: one session as values (settings, link, counters, view,
//!   typed messages and the problems tied to their causes). No egui.
//! - [`ui`]: one egui function per panel; draws from the model and returns
//!   intents; knows nothing of the app.
//! - [`app`]: the eframe `App`: owns the engine handle and the tabs (each an
//!   [`app::SessionTab`]), drains events in `logic` under a time budget into
//!   the tab each belongs to, carries out the panels' intents.
//! - [`profile`]: saved connection profiles (RON, atomic saves, a corrupt
//!   file is kept and reported, never overwritten). No egui.
//! - [`files`]: where session files go, and the text log of a session,
//!   written on a thread of its own. No egui.
//! - [`script`]: steps (connect, send, expect, repeat, …) as plain values, a
//!   line-oriented script file format, and a runner that drives the engine
//!   from its events without blocking. No egui.
//! - [`headless`]: commands without a window: `netassist run SCRIPT` (once,
//!   or as a load test) and `connect` / `listen` / `udp` in a terminal.
//! - [`desktop`]: the menu entry and icon `--install-desktop-entry` installs.
//! - [`i18n`]: the window's languages (Fluent catalogs in `locales/`) and the
//!   current language of the UI thread. No egui.
//! - [`cli`]: the command line that opens a preconfigured session (or runs a headless command).

pub mod app;
pub mod capture;
pub mod cli;
pub mod codec;
pub mod desktop;
pub mod engine;
pub mod files;
pub mod headless;
pub mod i18n;
pub mod ids;
pub mod model;
pub mod profile;
pub mod script;
pub mod ui;
pub mod view;
