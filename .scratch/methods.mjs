import { Svix } from 'svix';
const svix = new Svix('x', { serverUrl: 'http://127.0.0.1:9' });
const out = [];
const walk = (obj, prefix, depth) => { const proto = Object.getPrototypeOf(obj); for (const name of Object.getOwnPropertyNames(proto)) { if (name === 'constructor') continue; const d = Object.getOwnPropertyDescriptor(proto, name); if (d?.get && depth < 3) walk(d.get.call(obj), prefix+name+'.', depth+1); else if (typeof d?.value === 'function') out.push(prefix+name); } };
walk(svix,'',0); console.log(out.sort().join('\n')); console.log(out.length);
