export function double(r: { n: number }) { return { n: r.n * 2 }; }
export function keep(r: { n: number }) { return r.n > 1; }
