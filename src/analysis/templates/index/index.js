(function(){
  function cellValue(td){var v=td.getAttribute('data-sort');return v!==null?v:td.textContent.trim();}
  document.querySelectorAll('table.sortable').forEach(function(table){
    var ths=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths,function(th,col){
      th.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var rows=Array.prototype.slice.call(table.tBodies[0].rows);
        var num=th.classList.contains('num');
        rows.sort(function(a,b){
          var x=cellValue(a.cells[col]),y=cellValue(b.cells[col]);
          if(num){x=parseFloat(x);y=parseFloat(y);x=isNaN(x)?-1e18:x;y=isNaN(y)?-1e18:y;return asc?x-y:y-x;}
          return asc?x.localeCompare(y):y.localeCompare(x);
        });
        rows.forEach(function(r){table.tBodies[0].appendChild(r);});
      });
    });
  });
  var q=document.getElementById('filter'),reg=document.getElementById('region'),
      ex=document.getElementById('exits'),fl=document.getElementById('failedonly'),
      cnt=document.getElementById('count');
  function apply(){
    var words=q.value.toLowerCase().split(/\s+/).filter(Boolean),r=reg.value,n=0;
    document.querySelectorAll('#states tbody tr').forEach(function(tr){
      var text=(tr.textContent+' '+(tr.getAttribute('data-search')||'')).toLowerCase();
      var ok=words.every(function(w){return text.indexOf(w)>=0;})
        &&(!r||tr.getAttribute('data-region')===r)
        &&(!ex.checked||tr.getAttribute('data-exits')!=='0')
        &&(!fl.checked||tr.classList.contains('failed'));
      tr.style.display=ok?'':'none'; if(ok)n++;
    });
    cnt.textContent=n+' shown';
  }
  [q,reg,ex,fl].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  apply();
  // a matrix or strip cell names its treaty and status on hover (the page carries only the codes)
  var states=document.getElementById('states'),codes=JSON.parse(states.getAttribute('data-codes')),
      fullHeads=states.tHead.querySelectorAll('th.full');
  states.addEventListener('mouseover',function(e){
    var el=e.target,k;
    if(el.title)return;
    if(el.tagName==='I')k=Array.prototype.indexOf.call(el.parentNode.children,el);
    else if(el.classList&&el.classList.contains('full'))k=Array.prototype.indexOf.call(el.closest('tr').querySelectorAll('td.full'),el);
    else return;
    var cell=el.closest('tr').querySelectorAll('td.full')[k];
    el.title=fullHeads[k].textContent+': '+(codes[cell.textContent.trim()]||cell.textContent);
  });
  var matrix=document.getElementById('matrix');
  matrix.addEventListener('click',function(){
    var on=states.classList.toggle('show-full');
    matrix.setAttribute('aria-pressed',on?'true':'false');
    matrix.textContent=on?'Hide the full matrix':'Show the full matrix (all '+(states.querySelectorAll('thead th.full').length)+' treaties)';
  });
})();
(function(){
  // reports across time: point every dated report link at the day chosen
  var day=document.getElementById('day');
  if(!day)return;
  day.addEventListener('change',function(){
    document.querySelectorAll('a[data-dated]').forEach(function(a){
      a.setAttribute('href',a.getAttribute('data-dated')+day.value+'.html');
    });
  });
})();
