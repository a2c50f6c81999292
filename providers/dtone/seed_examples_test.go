package dtone

// The seed document's own example answers, verbatim.

// seedOperatorProducts: GET /operators/{operator_id}/products.
const seedOperatorProducts = `{
    "fixed_value_vouchers":[],
    "fixed_value_recharges":
        [
            {
                "product_id":64,
                "product_name":"$14 Basic",
                "product_short_desc":"14 USD Basic",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":14,
                "product_currency":"USD",
                "local_value":14,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":12.5,
                "retail_price":13.5,
                "fee":0
            },
            {
                "product_id":65,
                "product_name":"$20 Advanced",
                "product_short_desc":"20 USD Advanced",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":20,
                "product_currency":"USD",
                "local_value":20,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":18,
                "retail_price":19.3,
                "fee":0
            }
        ],
    "fixed_value_payments":[],
    "variable_value_vouchers":[],
    "variable_value_recharges":[],
    "variable_value_payments":[]
}`

// seedCountryProducts: GET /countries/{country_id}/products (the seed ends a list with a comma).
const seedCountryProducts = `{
    "fixed_value_vouchers":[],
    "fixed_value_recharges":
        [
            {
                "product_id":64,
                "product_name":"$14 Basic",
                "product_short_desc":"14 USD Baisc",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":14,
                "product_currency":"USD",
                "local_value":14,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":12.5,
                "retail_price":13.5,
                "fee":0
            }
        ],
    "fixed_value_payments":[],
    "variable_value_vouchers":[],
    "variable_value_recharges":[],
    "variable_value_payments":[],
}`

// seedServiceProducts: GET /services/{service_id}/products.
const seedServiceProducts = `{
    "fixed_value_vouchers":[],
    "fixed_value_recharges":
        [
            {
                "product_id":64,
                "product_name":"$14 Basic",
                "product_short_desc":"14 USD Baisc",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":14,
                "product_currency":"USD",
                "local_value":14,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":12.5,
                "retail_price":13.5,
                "fee":0
            }
        ],
    "fixed_value_payments":[],
    "variable_value_vouchers":[],
    "variable_value_recharges":[],
    "variable_value_payments":[]
}`

// seedSuggestedValues: GET /product/variable_value_recharges/{product_id}/suggested_values.
const seedSuggestedValues = `{
    "suggested_values":
        [
            {
                "local_value":9,
                "local_currency":"INR",
                "name":"50 MB of 2G Plan for 1 Day",
                "description":"AIRT / UPE / 9INR / 2G Plan / 50 MB / 1 Day",
                "additional_info_1":"type:2G Plan",
                "additional_info_2":"validity:1 Day",
                "additional_info_3":"data_amount:50 MB",
                "wholesale_price":"0.14",
                "retail_price":"0.06",
                "fee":0
            },
            {
                "local_value":19,
                "local_currency":"INR",
                "name":"110 MB of 2G Plan for 3 Days",
                "description":"AIRT / UPE / 19INR / 2G Plan / 110 MB / 3 Days",
                "additional_info_1":"type:2G Plan",
                "additional_info_2":"validity:3 Days",
                "additional_info_3":"data_amount:110 MB",
                "wholesale_price":"0.3",
                "retail_price":"0.14",
                "fee":0
              }
        ]
}`

// seedVerified: GET /products/{product_id}/account_number/{account_number}/status.
const seedVerified = `{
    "verified":1
}`

// seedVerifyUnavailable: the same call for a product without account verification (HTTP 400).
const seedVerifyUnavailable = `{
        "errors":[
            {
                "code":1000304,
                "message":"Account verification not available for this product"
            }]
    }`

// A simulated voucher purchase in the shape public clients show for API
// v1.1 (status "0", ids as strings, an empty voucher in simulation).
const simulatedVoucherPurchase = `{"transaction_id":"5100042","simulation":1,"status":"0","status_message":"Transaction successful","date":"2024-03-05 09:12:44","account_number":"50255501234","external_id":"20240305000017","operator_reference":"","product_id":"112","product":"Gift Card 100GTQ","product_desc":"Pharmacy 100GTQ Voucher","product_currency":"GTQ","product_value":100,"local_currency":"GTQ","local_value":100,"operator_id":"2061","operator":"Farmacias Cruz Verde Guatemala","country_id":"756","country":"Guatemala","account_currency":"USD","wholesale_price":14.79,"retail_price":17.4,"fee":0,"voucher":{"info_1":"","currency":"","pin2":"","pin":"","info_3":"","value":"","expiration_date":"","info_2":""}}`
