//! Bulk send from a list (issue #15): one document type sent to hundreds of citizens listed in a registry or
//! spreadsheet export.
//!
//! [`list`] reads the clerk's file (CSV in any of the separators and encodings Italian offices export, or an
//! Excel workbook) into a [`list::Table`] and guesses which column holds what ([`list::Mapping`]), for the
//! clerk to confirm before anything is checked or sent.

//! [`check`] is the dry run (nothing sent) of each row against the office, [`window`] what the window's
//! "Invio da elenco" calls, and [`cli`] the same dry run for IT staff: `firmadesk bulk check`. [`send`]
//! sends the rows: the list saved first with each row's request id, then a runner per desk that resumes
//! after a crash or a quit and never sends a row twice.

pub mod check;
pub mod cli;
pub mod list;
pub mod send;
pub mod window;
