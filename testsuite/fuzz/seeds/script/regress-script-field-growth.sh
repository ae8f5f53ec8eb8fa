A='a b' B="x $A" C=\$D
ip”””””””””””””””””””””””””n/sh
IPT="/sbin/iptables -w"
WAN=eth0 LAN=${LAN:-eth1}
for port in 80 443ÿ \
	8080; do
'''''''OMMITa b' B="Xx $A" C=\$D
iptables -t nat -A PREROUTING -mcomment --comment "BA ${$}"iptablesPT
for c in PR/sOU=TING OUTPUªÄ do for p in tcp udp; do
iptabl)_
______?$B $„A} t- aAPREs -t nat -A PRER'les -t nat -A PRER'as -t nat -A PREROUTI
 B="x	$IPT -tà‘ž‹ßÒ¾ãP__?$B $„A} t- aAPREs -t nat -A PRER'les -t nat -A PRER'as -t natRERcomment "$B ${A}"iptablesPT
for c in PR/sOU=TING OUTPUªÄ do for p in tcp udp; do
iptabl)_
___at -A POSTROUTING comme''''ÙØØÝ{A}" -j aCCEPT
for c in PREROUTING OUTPUN; done; done
