"""Photos, from upload to print: the bytes' checks and cleaning, the content-addressed store
and the object store under it, who may read which bytes, the upload routes, and the copies
reports show and print."""
