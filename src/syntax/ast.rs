//! The spanned syntax tree of a design file: plain data, no units and no meaning.
//!
//! Architecture Invariant: every node carries the [`Span`] it was parsed from; nothing
//! here interprets a unit word or a field name.

use crate::source::Span;

/// A value with the span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A whole design file: exactly one `design "Name" { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The design's name string.
    pub name: Spanned<String>,
    /// Its statements, in source order.
    pub items: Vec<Item>,
    /// The `design` keyword through the closing brace.
    pub span: Span,
}

/// One statement inside the design.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `key = value` at the top level.
    Field(Field),
    /// `users { … }`, `request NAME { … }`, `tier NAME { … }`, …
    Block(Block),
    /// `let name = expr`.
    Let(Let),
    /// `assert left CMP right [within P%]`.
    Assert(Assert),
    /// `correlate a, b = 0.8`.
    Correlate(Correlate),
}

/// `keyword [name] { field… }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// `users`, `request`, `tier`, …
    pub keyword: Spanned<String>,
    /// The name after `request` or `tier`.
    pub name: Option<Spanned<String>>,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// Keyword through closing brace.
    pub span: Span,
}

/// `key = value`; a key may be two words (`latency p99`).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key words joined by one space.
    pub key: Spanned<String>,
    /// The value.
    pub value: Expr,
    /// Key through value.
    pub span: Span,
}

/// `let name = expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Let {
    /// The new name.
    pub name: Spanned<String>,
    /// Its value.
    pub value: Expr,
    /// `let` through the value.
    pub span: Span,
}

/// A comparison operator in an `assert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
}

impl Cmp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Eq => "==",
        }
    }
}

/// `correlate a, b = coefficient`: two uncertain inputs drawn together.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlate {
    /// The first input (a dotted name).
    pub left: Expr,
    /// The second input.
    pub right: Expr,
    /// The rank-normal correlation, −1 to 1.
    pub coefficient: Expr,
    /// `correlate` through the coefficient.
    pub span: Span,
}

/// `assert left CMP right [within tolerance]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assert {
    /// Left side.
    pub left: Expr,
    /// The operator.
    pub cmp: Spanned<Cmp>,
    /// Right side.
    pub right: Expr,
    /// Relative tolerance for `==`.
    pub within: Option<Expr>,
    /// `assert` through the end.
    pub span: Span,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `x` between operands: `10 x shorten`, `timelines x 300`.
    Times,
    /// `of`: `1% of keys`.
    Of,
    /// `500 KB in blob`: bytes placed in a tier (binds looser than `*`, tighter than `+`).
    In,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Times => "x",
            BinOp::Of => "of",
            BinOp::In => "in",
        }
    }
}

/// How a unit word attaches to what precedes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitOp {
    /// A word after a space: `200 B`, `2M req`.
    Mul,
    /// `/word`: `KB/s`, `req/day`.
    Div,
    /// `per word`: `per user`, `per day`.
    Per,
}

/// One unit word with how it attaches.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTerm {
    /// Attachment.
    pub op: UnitOp,
    /// The word as written.
    pub word: Spanned<String>,
}

/// A number literal with whatever letters are glued to it and the unit words after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The number's value (underscores removed).
    pub number: f64,
    /// The number as written, without suffix.
    pub number_span: Span,
    /// Letters glued to the number: `M` in `100M`, `KB` in `1KB`, `%` in `99.9%`.
    pub suffix: Option<Spanned<String>>,
    /// Unit words after the number.
    pub units: Vec<UnitTerm>,
}

/// One argument of a call: positional or `name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The name, for a named argument.
    pub name: Option<Spanned<String>>,
    /// The value.
    pub value: Expr,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number with units.
    Quantity(Quantity),
    /// A string literal (escapes resolved).
    Str(String),
    /// A dotted reference: `users.dau`, `lru`, `shorten`.
    Ref(Vec<Spanned<String>>),
    /// `name(args)`: `zipf(0.9)`, `consistent(vnodes = 256)`.
    Call {
        /// The function name.
        name: Spanned<String>,
        /// Its arguments.
        args: Vec<Arg>,
    },
    /// `-e`
    Neg(Box<Expr>),
    /// `l op r`
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `lo to hi`: a 90% interval.
    Range(Box<Expr>, Box<Expr>),
    /// `x ± d`: a normal around x whose 90% interval is x − d to x + d (d may be a percent).
    PlusMinus(Box<Expr>, Box<Expr>),
    /// `a -> b -> c`: a request path.
    Path(Vec<Expr>),
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

impl Expr {
    /// The dotted name, if this is a plain reference.
    pub fn as_ref_name(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Ref(parts) => Some(parts.iter().map(|p| p.node.as_str()).collect::<Vec<_>>().join(".")),
            _ => None,
        }
    }
}
