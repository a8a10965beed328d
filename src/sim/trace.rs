//! Trace files as request streams: text (`KEY [SIZE]` per line), CSV with named columns, and
//! libCacheSim's binary `oracleGeneral` records; plain, gzip or zstd (detected by magic bytes),
//! from a file or from stdin (`-`). Keys are whole numbers or any other text: text keys are
//! interned to ids of their own, so two different keys never share an id.
//!
//! Ids: a key of decimal digits below 2^63 without a leading zero is its own id; every other
//! key (text, a leading zero, 2^63 or more) is interned in order of first appearance to
//! 2^63 + n. The two ranges cannot meet, so interning is exact: no collisions to count.
//!
//! oracleGeneral (libCacheSim, `traceReader/customizedReader/oracle/oracleGeneralBin.h`):
//! 24-byte little-endian records of u32 timestamp, u64 object id, u32 size, i64 next-access
//! virtual time; the id is taken as it is (ids ≥ 2^63 are mapped into the interned range).
//!
//! Architecture Invariant: streaming — memory grows with distinct text keys, never with the
//! number of requests; every malformed record is reported with its line and column (its
//! record number and byte offset for binary traces).

use rustc_hash::FxHashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A malformed trace record, or an unreadable trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceError {
    /// 1-based line (record) number (0 for I/O errors).
    pub line: u64,
    /// 1-based column of the offending field (0 when not known).
    pub column: u64,
    /// What went wrong.
    pub message: String,
}

impl TraceError {
    fn at(line: u64, column: u64, message: impl Into<String>) -> Self {
        TraceError { line, column, message: message.into() }
    }
}

/// How a trace's records are laid out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TraceFormat {
    /// Text unless the file name says oracleGeneral.
    #[default]
    Auto,
    /// `KEY [SIZE]` per line, separated by spaces, tabs or a comma; `#` comments.
    Text,
    /// Comma-separated fields named by position (`--columns time,key,size,op`): `key` is
    /// required, `size` optional, other names are read past. A first line that repeats the
    /// names is a header.
    Csv {
        /// The column names, in order.
        columns: Vec<String>,
    },
    /// libCacheSim's binary oracleGeneral records.
    OracleGeneral,
}

impl TraceFormat {
    /// Parses `--trace-format` and `--columns`.
    pub fn parse(format: &str, columns: Option<&str>) -> Result<TraceFormat, String> {
        let columns: Option<Vec<String>> =
            columns.map(|c| c.split(',').map(|s| s.trim().to_ascii_lowercase()).collect());
        let format = match (format, columns) {
            ("auto", None) => TraceFormat::Auto,
            ("text" | "txt", None) => TraceFormat::Text,
            ("oracle-general" | "oraclegeneral", None) => TraceFormat::OracleGeneral,
            ("csv" | "auto", Some(columns)) => TraceFormat::Csv { columns },
            ("csv", None) => return Err("--trace-format csv needs --columns, e.g. --columns time,key,size".into()),
            (f @ ("text" | "txt" | "oracle-general" | "oraclegeneral"), Some(_)) => {
                return Err(format!("--columns is for --trace-format csv, not {f}"));
            }
            (other, _) => {
                return Err(format!("unknown trace format `{other}`; formats are auto, text, csv, oracle-general"));
            }
        };
        if let TraceFormat::Csv { columns } = &format {
            if columns.iter().filter(|c| *c == "key").count() != 1 {
                return Err("--columns must name exactly one `key` column, e.g. --columns time,key,size".into());
            }
            if columns.iter().filter(|c| *c == "size").count() > 1 {
                return Err("--columns names `size` twice".into());
            }
        }
        Ok(format)
    }
}

/// Ids at or above this are interned text keys (and oracleGeneral ids this large).
const INTERNED: u64 = 1 << 63;

/// The layout the reader parses.
enum Layout {
    Text,
    Csv { key: usize, size: Option<usize>, columns: usize, names: Vec<String> },
    Oracle,
}

/// Streams the (id, size) requests of a trace.
pub struct TraceReader {
    reader: Box<dyn BufRead + Send>,
    layout: Layout,
    line: u64,
    buf: Vec<u8>,
    sizes_required: bool,
    interned: FxHashMap<Box<[u8]>, u64>,
}

/// Opens `path` (`-` for stdin), undoing gzip or zstd compression found by magic bytes.
fn open_bytes(path: &Path) -> Result<Box<dyn BufRead + Send>, TraceError> {
    let io = |e: std::io::Error| TraceError::at(0, 0, format!("reading {}: {e}", path.display()));
    let raw: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(io)?)
    };
    let mut file = BufReader::with_capacity(1 << 20, raw);
    let head = file.fill_buf().map_err(io)?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(Inflated::spawn(flate2::bufread::MultiGzDecoder::new(file)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let zstd = ruzstd::decoding::StreamingDecoder::new(file)
            .map_err(|e| TraceError::at(0, 0, format!("reading {}: not a valid zstd stream: {e}", path.display())))?;
        Box::new(Inflated::spawn(zstd))
    } else {
        Box::new(file)
    })
}

/// A decompressor run on a thread of its own, handing its output over in blocks through a
/// bounded channel: parsing then overlaps decompression, and memory stays a few blocks. The
/// bytes, and any error, arrive in order, so what is read is the same as reading in place.
struct Inflated {
    blocks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    /// Read blocks, handed back to the decompressing thread to be filled again.
    spent: std::sync::mpsc::SyncSender<Vec<u8>>,
    block: Vec<u8>,
    at: usize,
}

/// Bytes per block handed from the decompressing thread.
const BLOCK: usize = 1 << 20;

/// Blocks in flight from the decompressing thread.
const IN_FLIGHT: usize = 4;

impl Inflated {
    fn spawn(mut r: impl Read + Send + 'static) -> Inflated {
        let (tx, blocks) = std::sync::mpsc::sync_channel(IN_FLIGHT);
        let (spent, reuse) = std::sync::mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT + 2);
        std::thread::spawn(move || {
            loop {
                let mut block = reuse.try_recv().unwrap_or_default();
                block.resize(BLOCK, 0);
                let mut filled = 0;
                let end = loop {
                    match r.read(&mut block[filled..]) {
                        Ok(0) => break Ok(true),
                        Ok(n) => {
                            filled += n;
                            if filled == BLOCK {
                                break Ok(false);
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                block.truncate(filled);
                let sent = filled == 0 || tx.send(Ok(block)).is_ok();
                match end {
                    Ok(false) if sent => {}
                    Ok(_) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        Inflated { blocks, spent, block: Vec::new(), at: 0 }
    }
}

impl Read for Inflated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let have = self.fill_buf()?;
            let n = have.len().min(out.len());
            out[..n].copy_from_slice(&have[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Inflated {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at == self.block.len() {
            match self.blocks.recv() {
                Ok(Ok(block)) => {
                    let _ = self.spent.try_send(std::mem::replace(&mut self.block, block));
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The decompressor finished (its sender is gone): end of the stream.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.block.len());
    }
}

impl TraceReader {
    /// Opens a trace file (`-` for stdin) in the auto-detected format.
    pub fn open(path: &Path) -> Result<Self, TraceError> {
        Self::open_as(path, &TraceFormat::Auto)
    }

    /// Opens a trace file (`-` for stdin) in `format`.
    pub fn open_as(path: &Path, format: &TraceFormat) -> Result<Self, TraceError> {
        let reader = open_bytes(path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let layout = match format {
            TraceFormat::Auto if name.contains("oraclegeneral") => Layout::Oracle,
            TraceFormat::Auto | TraceFormat::Text => Layout::Text,
            TraceFormat::OracleGeneral => Layout::Oracle,
            TraceFormat::Csv { columns } => Layout::Csv {
                key: columns.iter().position(|c| c == "key").unwrap_or(0),
                size: columns.iter().position(|c| c == "size"),
                columns: columns.len(),
                names: columns.clone(),
            },
        };
        Ok(Self::with(reader, layout))
    }

    fn with(reader: Box<dyn BufRead + Send>, layout: Layout) -> Self {
        TraceReader {
            reader,
            layout,
            line: 0,
            buf: Vec::with_capacity(64),
            sizes_required: false,
            interned: FxHashMap::default(),
        }
    }

    /// Makes a record without a size an error (for byte-sized caches).
    pub fn requiring_sizes(mut self) -> Self {
        self.sizes_required = true;
        self
    }

    /// From any reader of text lines (tests, stdin).
    pub fn from_reader(r: impl Read + Send + 'static) -> Self {
        Self::with(Box::new(BufReader::new(r)), Layout::Text)
    }

    /// Appends requests to `out` until it holds `max`, straight from the read buffer while the
    /// records are plain — `ID` or `ID SIZE` text lines, or oracleGeneral records of ids below
    /// 2^63 — with no copy or call per record: the reading stage's fast path. Stops early —
    /// leaving the record for [`Iterator::next`], which parses, interns or reports it — at any
    /// other record, a record split across two buffers, the CSV layout, or the end.
    pub fn next_batch(&mut self, out: &mut Vec<(u64, Option<u32>)>, max: usize) -> Result<(), TraceError> {
        let oracle = match self.layout {
            Layout::Text => false,
            Layout::Oracle => true,
            Layout::Csv { .. } => return Ok(()),
        };
        while out.len() < max {
            let buf = self.reader.fill_buf().map_err(|e| TraceError::at(self.line, 0, e.to_string()))?;
            let (used, records, stopped) =
                if oracle { scan_oracle(buf, out, max) } else { scan_text(buf, out, max, self.sizes_required) };
            self.reader.consume(used);
            self.line += records;
            if stopped || used == 0 {
                break;
            }
        }
        Ok(())
    }

    /// Distinct text keys interned so far.
    pub fn interned(&self) -> usize {
        self.interned.len()
    }

    /// The id of a key's bytes: its number, or its interned id.
    fn id(&mut self, key: &[u8]) -> u64 {
        if let Some(n) = plain_number(key) {
            return n;
        }
        let next = INTERNED + self.interned.len() as u64;
        *self.interned.entry(key.into()).or_insert(next)
    }

    fn oracle(&mut self) -> Option<Result<(u64, Option<u32>), TraceError>> {
        let mut record = [0u8; 24];
        let mut filled = 0;
        while filled < 24 {
            match self.reader.read(&mut record[filled..]) {
                Ok(0) if filled == 0 => return None,
                Ok(0) => {
                    return Some(Err(TraceError::at(
                        self.line + 1,
                        filled as u64 + 1,
                        format!(
                            "the trace ends inside a record ({filled} of 24 bytes): an oracleGeneral trace is 24-byte records (u32 time, u64 id, u32 size, i64 next access)"
                        ),
                    )));
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Some(Err(TraceError::at(self.line, 0, e.to_string()))),
            }
        }
        self.line += 1;
        let mut id_bytes = [0u8; 8];
        id_bytes.copy_from_slice(&record[4..12]);
        let mut size_bytes = [0u8; 4];
        size_bytes.copy_from_slice(&record[12..16]);
        let id = u64::from_le_bytes(id_bytes);
        let id = if id >= INTERNED { self.id(&id_bytes) } else { id };
        Some(Ok((id, Some(u32::from_le_bytes(size_bytes)))))
    }

    /// Reads the next line into `buf` and counts it: `None` at the end of the trace.
    fn next_line(&mut self) -> Option<Result<(), TraceError>> {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Ok(_) => {
                self.line += 1;
                Some(Ok(()))
            }
            Err(e) => Some(Err(TraceError::at(self.line, 0, e.to_string()))),
        }
    }

    fn csv(&mut self) -> Option<Result<(u64, Option<u32>), TraceError>> {
        loop {
            if let Err(e) = self.next_line()? {
                return Some(Err(e));
            }
            let Layout::Csv { key, size, columns, names } = &self.layout else { return None };
            let (key, size, columns) = (*key, *size, *columns);
            let text = trim_line(&self.buf);
            if text.is_empty() || text.starts_with(b"#") {
                continue;
            }
            let fields: Vec<(usize, &[u8])> = fields(text, b",");
            if self.line == 1 && fields.iter().map(|f| lower(f.1)).eq(names.iter().cloned()) {
                continue;
            }
            if fields.len() != columns {
                let column = fields.get(columns).map_or(text.len() + 1, |f| f.0 + 1);
                return Some(Err(TraceError::at(
                    self.line,
                    column as u64,
                    format!("expected {columns} comma-separated fields ({}), found {}", names.join(","), fields.len()),
                )));
            }
            let (key_at, key_bytes) = fields[key];
            if key_bytes.is_empty() {
                return Some(Err(TraceError::at(self.line, key_at as u64 + 1, "the key field is empty")));
            }
            let size = match size.map(|s| fields[s]) {
                None => None,
                Some((at, field)) => match parse_size(field) {
                    Ok(s) => Some(s),
                    Err(m) => return Some(Err(TraceError::at(self.line, at as u64 + 1, m))),
                },
            };
            if size.is_none() && self.sizes_required {
                return Some(Err(TraceError::at(
                    self.line,
                    0,
                    "byte sizes (`10MB`) need a size column: name one `size` in --columns",
                )));
            }
            let key_bytes: Box<[u8]> = key_bytes.into();
            return Some(Ok((self.id(&key_bytes), size)));
        }
    }

    fn text(&mut self) -> Option<Result<(u64, Option<u32>), TraceError>> {
        loop {
            if let Err(e) = self.next_line()? {
                return Some(Err(e));
            }
            let line = self.line;
            // Fast path: `ID\n` or `ID SIZE\n` in ASCII digits.
            if let Some((id, size)) = fast_line(&self.buf) {
                if size.is_none() && self.sizes_required {
                    let end = self.buf.len() - usize::from(self.buf.ends_with(b"\n"));
                    return Some(Err(TraceError::at(
                        line,
                        end as u64 + 1,
                        "this line has no size column; byte sizes (`10MB`) need `KEY SIZE` lines",
                    )));
                }
                return Some(Ok((id, size)));
            }
            let text = trim_line(&self.buf);
            if text.is_empty() || text.starts_with(b"#") {
                continue;
            }
            let fields = fields(text, b" \t,");
            if let Some(&(at, extra)) = fields.get(2) {
                return Some(Err(TraceError::at(
                    line,
                    at as u64 + 1,
                    format!(
                        "unexpected third field `{}`: a text trace line is `KEY [SIZE]`; for other layouts give --trace-format csv --columns …",
                        show(extra)
                    ),
                )));
            }
            let size = match fields.get(1) {
                None => None,
                Some(&(at, field)) => match parse_size(field) {
                    Ok(s) => Some(s),
                    Err(m) => return Some(Err(TraceError::at(line, at as u64 + 1, m))),
                },
            };
            if size.is_none() && self.sizes_required {
                return Some(Err(TraceError::at(
                    line,
                    text.len() as u64 + 1,
                    "this line has no size column; byte sizes (`10MB`) need `KEY SIZE` lines",
                )));
            }
            let key: Box<[u8]> = fields[0].1.into();
            return Some(Ok((self.id(&key), size)));
        }
    }
}

/// A key that is its own id: decimal digits, no leading zero (but `0` itself), below 2^63.
fn plain_number(key: &[u8]) -> Option<u64> {
    if key.is_empty() || key.len() > 19 || (key.len() > 1 && key[0] == b'0') {
        return None;
    }
    let mut n: u64 = 0;
    for &b in key {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    (n < INTERNED).then_some(n)
}

/// `ID` or `ID SIZE` (one space, tab or comma between), digits only, ending the line.
fn fast_line(buf: &[u8]) -> Option<(u64, Option<u32>)> {
    let body = buf.strip_suffix(b"\n").unwrap_or(buf);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let split = body.iter().position(|b| matches!(b, b' ' | b'\t' | b','));
    let (key, size) = match split {
        None => (body, None),
        Some(i) => (&body[..i], Some(&body[i + 1..])),
    };
    let id = plain_number(key)?;
    match size {
        None => Some((id, None)),
        Some(s) if !s.is_empty() && s.len() <= 10 && s.iter().all(u8::is_ascii_digit) => {
            let v: u64 = s.iter().fold(0, |a, &b| a * 10 + u64::from(b - b'0'));
            u32::try_from(v).ok().map(|v| (id, Some(v)))
        }
        Some(_) => None,
    }
}

/// The plain text lines at the start of `buf`, appended to `out` (up to `max` in all): the
/// bytes used, the lines read, and whether a line that is not plain stopped the scan. A plain
/// line is exactly one [`fast_line`] accepts, ending in `\n` (a line without one waits for more
/// bytes); scanned in one pass, digit by digit, with no search for the line's end first.
fn scan_text(buf: &[u8], out: &mut Vec<(u64, Option<u32>)>, max: usize, sizes_required: bool) -> (usize, u64, bool) {
    let (mut at, mut lines) = (0usize, 0u64);
    while out.len() < max {
        let Some((id, size, next)) = plain_line(buf, at) else {
            // Not plain, or it runs past the buffer: `next` decides which.
            let stopped = memchr::memchr(b'\n', &buf[at..]).is_some();
            return (at, lines, stopped);
        };
        if size.is_none() && sizes_required {
            return (at, lines, true);
        }
        out.push((id, size));
        at = next;
        lines += 1;
    }
    (at, lines, false)
}

/// The plain line starting at `at` in `buf` — `ID`, or `ID SIZE` with one space, tab or comma
/// between, then `\n` or `\r\n`, the id as [`plain_number`] reads it and the size below 2^32
/// in at most 10 digits — with the offset after it; `None` for anything else.
#[inline]
fn plain_line(buf: &[u8], at: usize) -> Option<(u64, Option<u32>, usize)> {
    let (id, i) = digits(buf, at, 19)?;
    let count = i - at;
    if count == 0 || (count > 1 && buf[at] == b'0') || id >= INTERNED {
        return None;
    }
    let end = |i: usize| match buf.get(i)? {
        b'\n' => Some(i + 1),
        b'\r' if buf.get(i + 1) == Some(&b'\n') => Some(i + 2),
        _ => None,
    };
    match *buf.get(i)? {
        b' ' | b'\t' | b',' => {
            let start = i + 1;
            let (size, j) = digits(buf, start, 10)?;
            if j == start {
                return None;
            }
            let size = u32::try_from(size).ok()?;
            Some((id, Some(size), end(j)?))
        }
        _ => Some((id, None, end(i)?)),
    }
}

/// The decimal digits starting at `at` in `buf`, as a number, with the offset after them;
/// `None` when there are more than `most` of them (the caller's bound keeps the sum in a u64).
#[inline]
fn digits(buf: &[u8], at: usize, most: usize) -> Option<(u64, usize)> {
    let mut i = at;
    let mut value: u64 = 0;
    while let Some(&b) = buf.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        value = value * 10 + u64::from(d);
        i += 1;
        if i - at > most {
            return None;
        }
    }
    Some((value, i))
}

/// Bytes of an oracleGeneral record.
const RECORD: usize = 24;

/// The whole oracleGeneral records at the start of `buf`, appended to `out` (up to `max` in
/// all): the bytes used, the records read, and whether an id of 2^63 or more (which
/// [`Iterator::next`] maps into the interned range) stopped the scan.
fn scan_oracle(buf: &[u8], out: &mut Vec<(u64, Option<u32>)>, max: usize) -> (usize, u64, bool) {
    let whole = (buf.len() / RECORD).min(max.saturating_sub(out.len()));
    out.reserve(whole);
    let mut records = 0usize;
    for record in buf[..whole * RECORD].chunks_exact(RECORD) {
        let mut id = [0u8; 8];
        id.copy_from_slice(&record[4..12]);
        let mut size = [0u8; 4];
        size.copy_from_slice(&record[12..16]);
        let id = u64::from_le_bytes(id);
        if id >= INTERNED {
            return (records * RECORD, records as u64, true);
        }
        out.push((id, Some(u32::from_le_bytes(size))));
        records += 1;
    }
    (records * RECORD, records as u64, false)
}

fn trim_line(buf: &[u8]) -> &[u8] {
    let end = buf.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &buf[..end]
}

/// Fields with their 0-based byte offsets: split at any of `separators` (runs of spaces and
/// tabs count once; a comma always separates).
fn fields<'a>(text: &'a [u8], separators: &[u8]) -> Vec<(usize, &'a [u8])> {
    let mut out = Vec::new();
    let mut start = None;
    let mut after_comma = true;
    for (i, &b) in text.iter().enumerate() {
        if separators.contains(&b) {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
                after_comma = false;
            }
            if b == b',' {
                if after_comma {
                    out.push((i, &text[i..i]));
                }
                after_comma = true;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    match start {
        Some(s) => out.push((s, &text[s..])),
        None if after_comma && text.ends_with(b",") => out.push((text.len(), &text[text.len()..])),
        None => {}
    }
    out
}

fn lower(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_ascii_lowercase()
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).chars().take(40).collect()
}

fn parse_size(field: &[u8]) -> Result<u32, String> {
    std::str::from_utf8(field)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .ok_or_else(|| format!("expected a size in bytes (a whole number below 2^32), found `{}`", show(field)))
}

/// What a trace holds: `fermi sim trace`.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceSummary {
    /// Requests.
    pub requests: u64,
    /// Distinct keys.
    pub distinct: u64,
    /// Distinct keys requested exactly once, as a share of the distinct keys.
    pub one_hit_share: f64,
    /// The Zipf exponent α fitted by least squares to ln(count) = c − α·ln(rank), over ranks
    /// spaced evenly in ln(rank) (one point per 5% step) among the keys requested at least
    /// [`FIT_MIN_COUNT`] times, so the many rarely seen keys of the tail, whose counts are
    /// mostly sampling noise, do not flatten the line; `None` with fewer than three points.
    pub zipf_alpha: Option<f64>,
    /// The fit's ranks: (first, last) used.
    pub fit_ranks: (u64, u64),
    /// The requests of the most requested key, as a share of all requests.
    pub top_share: f64,
}

/// The fewest requests a key needs to count in the Zipf fit.
pub const FIT_MIN_COUNT: u64 = 10;

/// Reads a whole trace and summarises it (memory grows with its distinct keys).
pub fn summarize(
    reader: impl Iterator<Item = Result<(u64, Option<u32>), TraceError>>,
) -> Result<TraceSummary, TraceError> {
    let mut counts: FxHashMap<u64, u64> = FxHashMap::default();
    let mut requests = 0u64;
    for r in reader {
        let (id, _) = r?;
        *counts.entry(id).or_insert(0) += 1;
        requests += 1;
    }
    if requests == 0 {
        return Err(TraceError::at(
            0,
            0,
            "the trace holds no requests (only blank or `#` lines): nothing to summarise",
        ));
    }
    let mut by_count: Vec<u64> = counts.into_values().collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    let distinct = by_count.len() as u64;
    let ones = by_count.iter().rev().take_while(|&&c| c == 1).count() as u64;
    // Points at ranks 1, then each ~5% further (in ln rank), while the count is high enough.
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let mut rank = 1u64;
    let mut last = 1u64;
    while rank <= distinct && by_count[(rank - 1) as usize] >= FIT_MIN_COUNT {
        xs.push((rank as f64).ln());
        ys.push((by_count[(rank - 1) as usize] as f64).ln());
        last = rank;
        rank = (rank + 1).max((rank as f64 * 1.05).ceil() as u64);
    }
    let zipf_alpha = (xs.len() >= 3).then(|| {
        let n = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        -sxy / sxx
    });
    Ok(TraceSummary {
        requests,
        distinct,
        one_hit_share: ones as f64 / distinct as f64,
        zipf_alpha,
        fit_ranks: (1, last),
        top_share: by_count[0] as f64 / requests as f64,
    })
}

impl Iterator for TraceReader {
    type Item = Result<(u64, Option<u32>), TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.layout {
            Layout::Text => self.text(),
            Layout::Csv { .. } => self.csv(),
            Layout::Oracle => self.oracle(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Result<(u64, Option<u32>), TraceError>> {
        TraceReader::from_reader(std::io::Cursor::new(text.to_string())).collect()
    }

    #[test]
    fn text_keys_are_interned_apart_from_numbers() {
        let items: Vec<u64> = read("a 100\n7\nb\na\n0\n007\n").into_iter().map(|r| r.unwrap().0).collect();
        assert_eq!(items[0], items[3]);
        assert_ne!(items[0], items[2]);
        assert_eq!(items[1], 7);
        assert_eq!(items[4], 0);
        assert!(items[5] >= INTERNED, "a leading zero is text: 007 is not 7");
        assert!(items[0] >= INTERNED && items[2] >= INTERNED);
    }

    #[test]
    fn extra_fields_are_errors_with_their_column() {
        let items = read("1 10\n2 20 x\n");
        let e = items[1].as_ref().unwrap_err();
        assert_eq!((e.line, e.column), (2, 6));
        let items = read("abc 1x\n");
        let e = items[0].as_ref().unwrap_err();
        assert_eq!((e.line, e.column), (1, 5));
    }

    #[test]
    fn csv_columns_pick_key_and_size() {
        let format = TraceFormat::parse("csv", Some("time,key,size,op")).unwrap();
        let path = std::env::temp_dir().join(format!("fermi-trace-{}.csv", std::process::id()));
        std::fs::write(&path, "time,key,size,op\n1,k1,100,get\n2,k2,,get\n").unwrap();
        let items: Vec<_> = TraceReader::open_as(&path, &format).unwrap().collect();
        let _ = std::fs::remove_file(&path);
        assert!(matches!(items[0], Ok((_, Some(100)))));
        let e = items[1].as_ref().unwrap_err();
        assert_eq!((e.line, e.column), (3, 6));
    }

    /// Reads a trace as the reading stage does: batches from the buffer, one record at a time
    /// where a batch stops.
    fn batched(mut r: TraceReader) -> Vec<Result<(u64, Option<u32>), TraceError>> {
        let mut out = Vec::new();
        loop {
            let mut batch = Vec::new();
            r.next_batch(&mut batch, 1000).unwrap();
            out.extend(batch.into_iter().map(Ok));
            match r.next() {
                None => return out,
                Some(item) => out.push(item),
            }
        }
    }

    #[test]
    fn batches_read_text_lines_as_one_at_a_time_does() {
        // Lines the batch reads, lines it leaves to `next`, and lines across the 8 KiB buffer.
        let kinds = [
            "12\n",
            "7 100\n",
            "8\t200\r\n",
            "9,300\n",
            "0\n",
            "007\n",
            "x7\n",
            "\n",
            "# c\n",
            "5 \n",
            "1 99999999999\n",
            "12345678901234567890\n",
            "9223372036854775808\n",
            "3 4294967296\n",
            "4\r\n",
        ];
        let text: String = (0..3000).map(|i| kinds[(i * 7 + i / 5) % kinds.len()]).collect::<String>() + "42";
        let reader = || TraceReader::from_reader(std::io::Cursor::new(text.clone()));
        let one_by_one: Vec<_> = reader().collect();
        assert_eq!(batched(reader()), one_by_one);
    }

    #[test]
    fn batches_read_oracle_general_records_as_one_at_a_time_does() {
        // 50,000 records (past one 1 MiB read buffer, which 24 does not divide), a few with
        // ids of 2^63 or more, and a torn last record.
        let mut bytes = Vec::new();
        for t in 0..50_000u64 {
            let id = if t % 997 == 0 { u64::MAX - t % 3 } else { t * 31 % 1000 };
            bytes.extend_from_slice(&(t as u32).to_le_bytes());
            bytes.extend_from_slice(&id.to_le_bytes());
            bytes.extend_from_slice(&((t % 5000) as u32).to_le_bytes());
            bytes.extend_from_slice(&(-1i64).to_le_bytes());
        }
        bytes.extend_from_slice(&[1, 2, 3]);
        let path = std::env::temp_dir().join(format!("fermi-batch-{}.oracleGeneral.bin", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let open = || TraceReader::open_as(&path, &TraceFormat::OracleGeneral).unwrap();
        let one_by_one: Vec<_> = open().collect();
        let in_batches = batched(open());
        let _ = std::fs::remove_file(&path);
        assert_eq!(one_by_one.len(), 50_001);
        assert_eq!(one_by_one[1], Ok((31, Some(1))));
        assert!(one_by_one[50_000].is_err(), "the torn record is reported");
        assert_eq!(in_batches, one_by_one);
    }
}
