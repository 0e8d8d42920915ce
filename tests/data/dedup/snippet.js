<!-- Snap Pixel Code -->
<script type='text/javascript'>
(function(e,t,n){if(e.snaptr)return;var a=e.snaptr=function()
{a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};
a.queue=[];var s='script';r=t.createElement(s);r.async=!0;
r.src=n;var u=t.getElementsByTagName(s)[0];
u.parentNode.insertBefore(r,u);})(window,document,
'https://sc-static.net/scevent.min.js');

snaptr('init', '11111111-2222-4333-8444-555555555555', {
  'user_email': '__INSERT_USER_EMAIL__',   // never kept
});

snaptr ( 'track' , "PAGE_VIEW" , { client_dedup_id : 'pv-1' , timestamp: 1795168800000, } )
/* a comment with a brace { and a quote ' */
snaptr('track', 'PURCHASE', {
    price: 49.99,
    currency: 'EUR',
    transaction_id: "ord-1",
    client_dedup_id: `ord-1-purchase`,
    item_ids: ['sku-1', 'sku-2',],
    ts: '2026-11-20T10:05:00Z',
  });
snaptr('track', 'SIGN_UP');   // no options: the time is unknown
snaptr('track', 'ADD_CART', {client_dedup_id: 'cart-' + cartId, number_items: 2});
snaptr('track', 'BROKEN', {price: 1,
snaptr('init', '99999999-8888-4777-8666-555555555555');
snaptr('track','VIEW_CONTENT',{'client_dedup_id':'vc-1','timestamp':1795169000})
</script>
