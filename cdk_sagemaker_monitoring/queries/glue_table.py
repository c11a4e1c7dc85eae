"""The Glue table layout of CloudTrail log files, as Athena reads them.

Column names and types follow the CloudTrail record contents (CloudTrail User Guide) in the shape
the Athena guide's "Querying AWS CloudTrail logs" uses: the CloudTrail SerDe and input format,
lower-case column names, and ``requestParameters`` and the other service-specific fields as JSON text
(the SerDe cannot know their shape; SQL reads them with ``json_extract``).
"""

from __future__ import annotations

SERDE = "com.amazon.emr.hive.serde.CloudTrailSerde"
INPUT_FORMAT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

_STRING = "string"

#: (column, Hive type) of a CloudTrail record.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("eventversion", _STRING),
    ("useridentity", "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,"
                     "accesskeyid:string,username:string,"
                     "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
                     "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,"
                     "username:string>,sourceidentity:string,ec2roledelivery:string>>"),
    ("eventtime", _STRING),
    ("eventsource", _STRING),
    ("eventname", _STRING),
    ("awsregion", _STRING),
    ("sourceipaddress", _STRING),
    ("useragent", _STRING),
    ("errorcode", _STRING),
    ("errormessage", _STRING),
    ("requestparameters", _STRING),
    ("responseelements", _STRING),
    ("additionaleventdata", _STRING),
    ("requestid", _STRING),
    ("eventid", _STRING),
    ("readonly", _STRING),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", _STRING),
    ("apiversion", _STRING),
    ("managementevent", _STRING),
    ("recipientaccountid", _STRING),
    ("serviceeventdetails", _STRING),
    ("sharedeventid", _STRING),
    ("vpcendpointid", _STRING),
    ("vpcendpointaccountid", _STRING),
    ("eventcategory", _STRING),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
)

#: Partition columns, projected from the key layout
#: ``[prefix/]AWSLogs/[org-id/]<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/``.
ACCOUNT, REGION, DAY = "account", "region", "day"
DAY_FORMAT = "yyyy/MM/dd"
