/**
 * Nexmark q6 computed another way, for the parity harness (Flink's suite leaves q6 out: Flink SQL
 * cannot run it): plain loops over the event files. Each auction's winning bid is its highest bid
 * made while it was open (from its dateTime to its expires, both included; the earliest of equal
 * bids); each seller's closed auctions in the order of their winning bids' times (ties by auction
 * id, then price), each with the average price of that seller's last 10 of them up to it.
 */
import { readFileSync } from 'node:fs';
import { nexmarkFile } from '../../runtime/src/connectors/nexmark/nexmark-files.js';

interface Winner { auction: number; seller: number; price: number; time: number }

const readJsonLines = (file: string): Record<string, unknown>[] =>
    readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

const epochMs = (value: unknown): number => Date.parse(`${String(value).replace(' ', 'T').replace(/Z$/, '')}Z`);

/** q6's rows (seller, avg_price) over the event files in `dir`. */
export function q6Reference(dir: string): Record<string, unknown>[] {
    const auctions = new Map<number, { seller: number; opens: number; expires: number }>();
    for (const a of readJsonLines(nexmarkFile(dir, 'auction'))) {
        auctions.set(Number(a.id), { seller: Number(a.seller), opens: epochMs(a.dateTime), expires: epochMs(a.expires) });
    }
    const winners = new Map<number, Winner>();
    for (const b of readJsonLines(nexmarkFile(dir, 'bid'))) {
        const auction = auctions.get(Number(b.auction));
        const time = epochMs(b.dateTime);
        if (!auction || time < auction.opens || time > auction.expires) continue;
        const price = Number(b.price);
        const best = winners.get(Number(b.auction));
        if (!best || price > best.price || (price === best.price && time < best.time)) {
            winners.set(Number(b.auction), { auction: Number(b.auction), seller: auction.seller, price, time });
        }
    }
    const bySeller = new Map<number, Winner[]>();
    for (const w of winners.values()) bySeller.set(w.seller, [...(bySeller.get(w.seller) ?? []), w]);
    const rows: Record<string, unknown>[] = [];
    for (const [seller, list] of bySeller) {
        list.sort((x, y) => x.time - y.time || x.auction - y.auction || x.price - y.price);
        list.forEach((_, i) => {
            const last = list.slice(Math.max(0, i - 9), i + 1);
            rows.push({ seller, avg_price: last.reduce((s, w) => s + w.price, 0) / last.length });
        });
    }
    return rows;
}
