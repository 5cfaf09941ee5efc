// filled in by the model conversion step (issue 8)
console.log('[postinstall] nothing to do');
