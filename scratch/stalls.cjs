const p=JSON.parse(require('fs').readFileSync(process.argv[2]));
const byId=new Map(p.nodes.map(n=>[n.id,n])); const parent=new Map();
for(const n of p.nodes) for(const c of (n.children||[])) parent.set(c,n.id);
const stack=(id)=>{const s=[];let x=id;while(x!==undefined){const n=byId.get(x);s.push(n.callFrame.functionName+'@'+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber);x=parent.get(x);}return s.reverse();};
// entry = stack[1..3] (below root)
let runs=[]; let cur=null; let t=0;
for(let i=0;i<p.samples.length;i++){const st=stack(p.samples[i]); const top=st[st.length-1]; t+=p.timeDeltas[i]; const idle=top.startsWith('(idle)')||top.startsWith('(program)');
 const key=idle?null:st.slice(1,4).join(' > ');
 if(key && cur && cur.key===key){cur.ms+=p.timeDeltas[i]/1000; cur.n++; cur.tops[top]=(cur.tops[top]||0)+1;} else { if(cur) runs.push(cur); cur= key?{key,ms:p.timeDeltas[i]/1000,n:1,at:t/1000,tops:{[top]:1}}:null; }}
runs.sort((a,b)=>b.ms-a.ms); for(const r of runs.slice(0,6)){ console.log(r.ms.toFixed(1)+'ms at '+(r.at/1000).toFixed(0)+'ms', r.key); console.log('   ', Object.entries(r.tops).sort((a,b)=>b[1]-a[1]).slice(0,4).map(([k,v])=>k+' x'+v).join(' | ')); }
