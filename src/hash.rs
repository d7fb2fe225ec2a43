//! Fast, stable 64-bit hashes: page and file memos, input fingerprints and
//! output checksums for incremental builds.
//!
//! XXH3-64 (`xxhash-rust`): several times faster than std's SipHash on the
//! short keys and long page texts a build hashes, well distributed (a memo
//! collision would leave a changed page unwritten), and specified, so the
//! same bytes give the same hash on every platform and version.
//!
//! Model data is hashed either through `Hash` ([`of`]) or, for data that
//! has no `Hash` (floats, tera values), through serde ([`of_data`]): the
//! value's fields fed to the hasher as they are serialised, never through
//! `Debug` formatting (which escaped every character and was a quarter of a
//! build's CPU time).

use serde::ser::{self, Serialize};
use std::hash::{Hash, Hasher as _};

/// The hasher every memo uses.
pub type Hasher = xxhash_rust::xxh3::Xxh3;

/// A new [`Hasher`].
pub fn hasher() -> Hasher {
    Hasher::new()
}

/// The hash of a value through its `Hash` impl.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// The hash of a run of bytes (a page's text, a written file): XXH3-64 in
/// one call, which reads long inputs in place rather than through the
/// streaming [`Hasher`]'s buffer.
pub fn of_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The hash of a value's serialised data (see the module docs).
pub fn of_data<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = hasher();
    feed(&mut h, value);
    h.finish()
}

/// Feeds a value's serialised data to a hasher: every scalar with a tag
/// byte, strings and bytes with their length, sequences and maps between
/// start and end tags, so two different values never feed the same bytes.
pub fn feed<T: Serialize + ?Sized>(h: &mut Hasher, value: &T) {
    // A Serialize impl that fails (a custom error) is hashed as far as it got,
    // plus a tag: a memo only needs different data to hash differently.
    if value.serialize(&mut Feed(h)).is_err() {
        h.write_u8(Tag::Failed as u8);
    }
}

/// The byte before each serialised piece.
#[repr(u8)]
enum Tag {
    Bool,
    Int,
    Uint,
    Float,
    Char,
    Str,
    Bytes,
    None,
    Some,
    Unit,
    Variant,
    Start,
    End,
    Failed,
}

struct Feed<'h>(&'h mut Hasher);

impl Feed<'_> {
    fn tag(&mut self, tag: Tag) {
        self.0.write_u8(tag as u8);
    }

    fn variant(&mut self, index: u32) {
        self.tag(Tag::Variant);
        self.0.write_u32(index);
    }

    fn bytes(&mut self, tag: Tag, bytes: &[u8]) {
        self.tag(tag);
        self.0.write_u64(bytes.len() as u64);
        self.0.write(bytes);
    }
}

/// The error type serde asks for; only a value's own Serialize impl makes one.
#[derive(Debug)]
pub struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value failed to serialise")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Failed
    }
}

type Done = Result<(), Failed>;

/// Serializer methods that pass a narrow integer on as a wide one.
macro_rules! widen {
    ($($($method:ident($ty:ty)),* => $wide:ident);*) => {$($(
        fn $method(self, v: $ty) -> Done {
            self.$wide(v.into())
        }
    )*)*};
}

impl ser::Serializer for &mut Feed<'_> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(Tag::Bool);
        self.0.write_u8(v.into());
        Ok(())
    }
    // Every integer width as its widest type: the same number, the same bytes.
    widen! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64) => serialize_i128;
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64) => serialize_u128
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.tag(Tag::Int);
        self.0.write_i128(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.tag(Tag::Uint);
        self.0.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.tag(Tag::Float);
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.tag(Tag::Char);
        self.0.write_u32(v.into());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.bytes(Tag::Str, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.bytes(Tag::Bytes, v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tag(Tag::None);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(Tag::Some);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(Tag::Unit);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Done {
        self.variant(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.variant(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Failed> {
        self.tag(Tag::Start);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.variant(index);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.variant(index);
        self.serialize_seq(None)
    }
}

/// Elements, fields and entries: each value in turn, then the end tag.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Failed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                self.tag(Tag::End);
                Ok(())
            }
        }
    )*};
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(Tag::End);
        Ok(())
    }
}

/// Struct fields by position: a struct's field names are the same in every
/// value of its type, so only the values are fed.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Failed;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, _: &'static str) -> Done {
                self.tag(Tag::None);
                Ok(())
            }
            fn end(self) -> Done {
                self.tag(Tag::End);
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Hub {
        name: String,
        phone: Option<String>,
        location: Option<(f64, f64)>,
    }

    fn hub(name: &str, phone: Option<&str>) -> Hub {
        Hub {
            name: name.into(),
            phone: phone.map(Into::into),
            location: Some((35.5, 139.6)),
        }
    }

    #[test]
    fn equal_data_hashes_equal_and_any_change_differs() {
        let a = of_data(&hub("港北区拠点", Some("045-000-0000")));
        assert_eq!(a, of_data(&hub("港北区拠点", Some("045-000-0000"))));
        assert_ne!(a, of_data(&hub("港北区拠点", Some("045-000-0001"))));
        assert_ne!(a, of_data(&hub("港北区拠点", None)));
        assert_ne!(a, of_data(&hub("港南区拠点", Some("045-000-0000"))));
    }

    #[test]
    fn boundaries_between_values_count() {
        // The same characters split differently are different data.
        assert_ne!(of_data(&("ab", "c")), of_data(&("a", "bc")));
        // A string holding the string tag's byte, and nesting: the lengths and
        // end tags keep them apart.
        assert_ne!(of_data(&("a\u{5}b",)), of_data(&("a", "b")));
        assert_ne!(of_data(&((1,), 2)), of_data(&((1, 2),)));
        assert_ne!(
            of_data(&vec![vec![1], vec![]]),
            of_data(&vec![vec![], vec![1]])
        );
        assert_ne!(of_data(&Some(())), of_data(&None::<()>));
        let one: BTreeMap<&str, &str> = [("k", "v")].into();
        let other: BTreeMap<&str, &str> = [("kv", "")].into();
        assert_ne!(of_data(&one), of_data(&other));
    }

    #[test]
    fn tera_values_hash_by_content() {
        let v = |s: &str| tera::Value::from_serializable(&BTreeMap::from([("body", s)]));
        assert_eq!(of_data(&v("<p>x</p>")), of_data(&v("<p>x</p>")));
        assert_ne!(of_data(&v("<p>x</p>")), of_data(&v("<p>y</p>")));
    }
}
