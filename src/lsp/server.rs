//! The message loop: the `initialize` handshake (capabilities, position encoding), then each
//! request answered and each notification acted on in order (a change the next one replaces
//! whole is skipped), until `shutdown` and `exit`.
//!
//! Architecture Invariant: every request gets a response — malformed parameters, an unknown
//! document or a position past its end are error responses, and a handler that panicked is an
//! internal error — so no input stops the server.

use super::documents::Store;
use super::position::Encoding;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CompletionOptions, HoverProviderCapability, InitializeParams, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
    notification as note, request as req,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// How long a change waits for the next one before it is analysed (a keystroke's worth).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(30);

/// Why the server stopped other than by `shutdown` then `exit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stopped(pub String);

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Stopped {}

/// The encoding to count columns in: UTF-8 when the client offers it, else UTF-16.
fn encoding(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|e| e.contains(&PositionEncodingKind::UTF8)) { Encoding::Utf8 } else { Encoding::Utf16 }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "=".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on a connection until it sends `shutdown` and `exit`. An error when the
/// connection ends otherwise (`exit` without `shutdown`, the client gone).
pub fn serve(connection: &Connection) -> Result<(), Stopped> {
    let stop = |e: lsp_server::ProtocolError| Stopped(e.to_string());
    let (id, params) = connection.initialize_start().map_err(stop)?;
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = encoding(&init);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "fermi".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(stop)?;
    let mut store = Store::new(encoding);
    let mut next: Option<Message> = None;
    loop {
        let message = match next.take() {
            Some(m) => m,
            None => match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => break,
            },
        };
        // While the user types, a change whose text the next change replaces whole is not
        // analysed: after a change, the next message is awaited for up to [`SETTLE`].
        if let Message::Notification(n) = &message
            && n.method == note::DidChangeTextDocument::METHOD
            && let Ok(ahead) = connection.receiver.recv_timeout(SETTLE)
        {
            let skip = superseded(n, &ahead);
            next = Some(ahead);
            if skip {
                continue;
            }
        }
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).map_err(stop)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| respond(&store, request))).unwrap_or_else(|_| {
                    Response::new_err(id, ErrorCode::InternalError as i32, "internal error".into())
                });
                send(connection, response.into())?;
            }
            Message::Notification(n) if n.method == note::Exit::METHOD => {
                return Err(Stopped("exit before shutdown".into()));
            }
            Message::Notification(n) => {
                let published = catch_unwind(AssertUnwindSafe(|| notified(&mut store, n))).unwrap_or_default();
                for p in published {
                    send(connection, Notification::new(note::PublishDiagnostics::METHOD.into(), p).into())?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Err(Stopped("the client closed the connection before exit".into()))
}

/// Whether `later` is a change of the same document that replaces its whole text.
fn superseded(change: &Notification, later: &Message) -> bool {
    let Message::Notification(later) = later else { return false };
    let uri = |n: &Notification| n.params.get("textDocument").and_then(|t| t.get("uri")).cloned();
    let whole = later
        .params
        .get("contentChanges")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .is_some_and(|c| c.get("range").is_none_or(Value::is_null));
    later.method == note::DidChangeTextDocument::METHOD && uri(change).is_some() && uri(change) == uri(later) && whole
}

fn send(connection: &Connection, message: Message) -> Result<(), Stopped> {
    connection.sender.send(message).map_err(|e| Stopped(e.to_string()))
}

/// Acts on a notification; the diagnostics to publish.
fn notified(store: &mut Store, n: Notification) -> Vec<PublishDiagnosticsParams> {
    let publish = |store: &Store, uri: Uri| {
        let doc = store.get(uri.as_str())?;
        let diagnostics = super::diagnostics::of(doc, &uri);
        Some(PublishDiagnosticsParams { uri, diagnostics, version: Some(doc.version) })
    };
    match n.method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            let uri = p.text_document.uri;
            store.set(uri.as_str(), p.text_document.version, p.text_document.text);
            publish(store, uri).into_iter().collect()
        }
        note::DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            let uri = p.text_document.uri;
            let mut text = None;
            for change in &p.content_changes {
                // each change applies to the text the previous one left
                let Some(next) = store.edit(uri.as_str(), change) else { return Vec::new() };
                store.set(uri.as_str(), p.text_document.version, next.clone());
                text = Some(next);
            }
            if text.is_none() {
                return Vec::new();
            }
            publish(store, uri).into_iter().collect()
        }
        note::DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            store.close(p.text_document.uri.as_str());
            vec![PublishDiagnosticsParams { uri: p.text_document.uri, diagnostics: Vec::new(), version: None }]
        }
        _ => Vec::new(),
    }
}

/// A failed request: its code and message.
type Failure = (ErrorCode, String);

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn unknown(uri: &Uri) -> Failure {
    (ErrorCode::InvalidParams, format!("unknown document {}: open it with textDocument/didOpen first", uri.as_str()))
}

/// A document and the byte offset of a position in it.
fn locate<'a>(
    store: &'a Store,
    at: &lsp_types::TextDocumentPositionParams,
) -> Result<(&'a super::documents::Document, usize), Failure> {
    let uri = &at.text_document.uri;
    let doc = store.get(uri.as_str()).ok_or_else(|| unknown(uri))?;
    let offset = doc.lines.offset(doc.text(), at.position).ok_or_else(|| {
        (
            ErrorCode::InvalidParams,
            format!(
                "line {} is past the end of {} (it has {} lines)",
                at.position.line,
                uri.as_str(),
                doc.text().lines().count()
            ),
        )
    })?;
    Ok((doc, offset))
}

fn respond(store: &Store, request: Request) -> Response {
    let id = request.id.clone();
    let result = answer(store, request);
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

fn json(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn answer(store: &Store, request: Request) -> Result<Value, Failure> {
    use super::symbols::Symbols;
    match request.method.as_str() {
        req::HoverRequest::METHOD => {
            let p: lsp_types::HoverParams = params(request.params)?;
            let (doc, offset) = locate(store, &p.text_document_position_params)?;
            json(super::hover::at(doc, offset))
        }
        req::GotoDefinition::METHOD => {
            let p: lsp_types::GotoDefinitionParams = params(request.params)?;
            let at = &p.text_document_position_params;
            let (doc, offset) = locate(store, at)?;
            let found = doc.ast.as_ref().and_then(|file| {
                let symbols = Symbols::of(file);
                let target = symbols.at(offset)?;
                let decl = symbols.declaration_of(&target)?;
                Some(lsp_types::Location {
                    uri: at.text_document.uri.clone(),
                    range: doc.lines.range(doc.text(), decl.span),
                })
            });
            json(found.map(lsp_types::GotoDefinitionResponse::Scalar))
        }
        req::References::METHOD => {
            let p: lsp_types::ReferenceParams = params(request.params)?;
            let at = &p.text_document_position;
            let (doc, offset) = locate(store, at)?;
            let found = doc.ast.as_ref().and_then(|file| {
                let symbols = Symbols::of(file);
                let target = symbols.at(offset)?;
                let decl = symbols.declaration_of(&target)?;
                let mut spans = symbols.references(&decl.name);
                if p.context.include_declaration {
                    spans.insert(0, decl.span);
                }
                let uri = &at.text_document.uri;
                let range = |s| doc.lines.range(doc.text(), s);
                Some(
                    spans
                        .into_iter()
                        .map(|s| lsp_types::Location { uri: uri.clone(), range: range(s) })
                        .collect::<Vec<_>>(),
                )
            });
            json(found)
        }
        req::Completion::METHOD => {
            let p: lsp_types::CompletionParams = params(request.params)?;
            let (doc, offset) = locate(store, &p.text_document_position)?;
            json(lsp_types::CompletionResponse::Array(super::completion::at(doc, offset)))
        }
        req::Formatting::METHOD => {
            let p: lsp_types::DocumentFormattingParams = params(request.params)?;
            let uri = &p.text_document.uri;
            let doc = store.get(uri.as_str()).ok_or_else(|| unknown(uri))?;
            json(super::formatting::edits(doc))
        }
        other => Err((ErrorCode::MethodNotFound, format!("fermi lsp does not handle {other}"))),
    }
}
