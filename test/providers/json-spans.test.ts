// The scanner that slices each event's text out of a page: against JSON.parse on awkward texts
// (escaped quotes and backslashes, keys with escapes, repeated keys, whitespace, deep nesting).
import { describe, expect, it } from 'vitest';
import { arraySpans, valueSpan } from '../../src/providers/json-spans.js';

describe('arraySpans', () => {
  it('gives each element its exact text, which parses to the element JSON.parse sees', () => {
    const elements = [
      '{"id":"a","s":"quote \\" and backslash \\\\","n":12345678901234567890}',
      '{ "id" : "b" , "x" : [ 1 , { "y" : "]}," } ] }',
      '{"id":"c","s":"\\\\\\\\","t":"\\\\\\""}',
      '{"id":"d","v":1e400,"w":-0.10000000000000000555E-2,"u":"\\ud800\\u0000"}',
      '{}',
      '"str"',
      'null',
    ];
    const body = `{"object":"list","data" :\n [ ${elements.join(' ,\n')} ] ,"has_more":false}`;
    const spans = arraySpans(body, ['data'])!;
    expect(spans.map((s) => s.text)).toEqual(elements);
    expect(spans.map((s) => JSON.parse(s.text) as unknown)).toEqual((JSON.parse(body) as { data: unknown[] }).data);
    expect(spans.map((s) => s.depth)).toEqual([1, 3, 1, 1, 1, 0, 0]);
  });

  it('finds the array under a key written with escapes, takes the last of repeated keys as JSON.parse does, and reads the root array', () => {
    expect(arraySpans('{"ev\\u0065nts":[1,2]}', ['events'])!.map((s) => s.text)).toEqual(['1', '2']);
    expect(arraySpans('{"data":[1],"data":[2,3]}', ['data'])!.map((s) => s.text)).toEqual(['2', '3']);
    expect(arraySpans(' [ {"a":1} , [] ] ', [])!.map((s) => s.text)).toEqual(['{"a":1}', '[]']);
    expect(arraySpans('{"data":[]}', ['data'])).toEqual([]);
    expect(arraySpans('{"data":{}}', ['data'])).toBeUndefined();
    expect(arraySpans('{"other":[1]}', ['data'])).toBeUndefined();
  });

  it('measures nesting 200,000 deep without recursion', () => {
    const deep = `${'['.repeat(200_000)}0${']'.repeat(200_000)}`;
    const [span] = arraySpans(`{"data":[${deep}]}`, ['data'])!;
    expect(span!.text.length).toBe(deep.length);
    expect(span!.depth).toBe(200_000);
  });
});

describe('valueSpan', () => {
  it('gives the value at a path, or the whole body', () => {
    expect(valueSpan('{"ok":true,"event":{"id":"x","n":1.50}}', ['event'])!.text).toBe('{"id":"x","n":1.50}');
    expect(valueSpan(' {"id":"x"} ', [])!.text).toBe('{"id":"x"}');
    expect(valueSpan('{"a":{"b":[0.10000000000000000555]}}', ['a', 'b'])!.text).toBe('[0.10000000000000000555]');
    expect(valueSpan('{"a":1}', ['b'])).toBeUndefined();
  });
});
