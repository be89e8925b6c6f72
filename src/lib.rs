//! netassist: a desktop network debugging assistant (网络调试助手).
pub mod codec;
pub mod engine;
