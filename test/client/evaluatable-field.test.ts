import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatableFieldAt } from '../../client/src/debugging/evaluatable-field.js';

/** The text evaluated when the mouse rests on the `^` under the line. */
function hovered(markedLine: string): string | undefined {
    const [line, marker] = markedLine.split('\n');
    return evaluatableFieldAt(line, marker.indexOf('^'))?.text;
}

test('hovering a field name in a filter evaluates that field', () => {
    assert.equal(hovered('        | filter amount > 10\n                  ^'), 'amount');
    assert.equal(hovered('        | filter amount > 10 and country == "DE"\n                                  ^'), 'country');
});

test('hovering the second part of a nested field evaluates the path up to it', () => {
    assert.equal(hovered('    | filter customer.address.city == "Lyon"\n                          ^'), 'customer.address');
    assert.equal(hovered('    | filter customer.address.city == "Lyon"\n                               ^'), 'customer.address.city');
});

test('operator keywords, function names, strings and comments evaluate nothing', () => {
    assert.equal(hovered('        | filter amount > 10\n          ^'), undefined);
    assert.equal(hovered('    | aggregate { total: round(sum(amount), 2) }\n                         ^'), undefined);
    assert.equal(hovered('    | filter country == "amount"\n                          ^'), undefined);
    assert.equal(hovered('    | filter x > 1 // amount is large\n                        ^'), undefined);
});

test('names being declared (a generated field, a named argument, a stream) evaluate nothing', () => {
    assert.equal(hovered('        amount: double = random(1, 100)\n        ^'), undefined);
    assert.equal(hovered('    source orders = datagen(count: 400)\n                            ^'), undefined);
    assert.equal(hovered('    stream big = orders\n           ^'), undefined);
});

test('the unit of a duration literal is not a field', () => {
    assert.equal(hovered('    | window tumbling 1m30s\n                       ^'), undefined);
});

test('a field used as an aggregate input is evaluated', () => {
    assert.equal(hovered('    | aggregate { customer, total: sum(amount) }\n                  ^'), 'customer');
    assert.equal(hovered('    | aggregate { customer, total: sum(amount) }\n                                        ^'), 'amount');
});
